import { Inject, Injectable } from '@nestjs/common';
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { ErrorCode } from '@lockwell/contracts';
import { LockwellError, SERVICE_CONFIG } from '@lockwell/service-kit';
import type { Config } from '../config.js';

/** Addresses a webhook must never reach in production: the internal network, loopback, link-local (cloud metadata), and the like. */
const INTERNAL = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  INTERNAL.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  INTERNAL.addSubnet(net, prefix, 'ipv6');

/** Whether `address` (an IP literal) is internal. */
export function isInternalAddress(address: string): boolean {
  // An IPv4-mapped IPv6 address (::ffff:10.0.0.1) is judged as the IPv4 address it carries.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return isInternalAddress(mapped[1]!);
  const mappedHex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (mappedHex) {
    const [hi, lo] = [parseInt(mappedHex[1]!, 16), parseInt(mappedHex[2]!, 16)];
    return isInternalAddress(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`);
  }
  const family = isIP(address);
  if (family === 0) return true;
  return INTERNAL.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);
const isLoopbackHost = (host: string) => LOOPBACK_NAMES.has(host) || host.startsWith('127.');

export type Resolve = (host: string) => Promise<string[]>;
const resolveAll: Resolve = async (host) => (await lookup(host, { all: true })).map((a) => a.address);

/**
 * The SSRF check of webhook URLs. Production configuration: https only, and every address the host resolves
 * to must be public; checked when the webhook is created and again before each delivery (a name may change what
 * it points to). Local configuration (`npm start`, tests): additionally http:// on loopback, so a newcomer can
 * point a webhook at a receiver on their machine.
 */
@Injectable()
export class WebhookUrlGuard {
  private readonly production: boolean;
  /** DNS resolution (a port: unit tests give names fixed addresses). */
  resolve: Resolve = resolveAll;

  constructor(@Inject(SERVICE_CONFIG) config: Pick<Config, 'NODE_ENV'>) {
    this.production = config.NODE_ENV === 'production';
  }

  /** Throws VALIDATION_FAILED (naming the field, never echoing the URL) when `url` may not be used. */
  async check(url: string): Promise<void> {
    const u = new URL(url);
    const refuse = (issue: string) => {
      throw new LockwellError(ErrorCode.VALIDATION_FAILED, 'The webhook URL is not allowed', [{ field: 'url', issue }]);
    };
    if (u.username || u.password) refuse('must not carry credentials');
    if (!this.production) {
      if (u.protocol === 'http:' && !isLoopbackHost(u.hostname))
        refuse('http:// is allowed only on loopback in local configuration; use https://');
      return;
    }
    if (u.protocol !== 'https:') refuse('must be https:// in production configuration');
    const host = u.hostname.replace(/^\[|\]$/g, '');
    let addresses: string[];
    try {
      addresses = isIP(host) ? [host] : await this.resolve(host);
    } catch {
      return refuse('its host name does not resolve');
    }
    if (!addresses.length || addresses.some(isInternalAddress))
      refuse('must not point to a private, loopback or link-local address');
  }
}
