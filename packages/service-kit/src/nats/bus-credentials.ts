import { readFileSync } from 'node:fs';
import { inboxPrefixOf, type BusIdentity } from '@lockwell/contracts';
import { nkeyAuthenticator, type ConnectionOptions } from '@nats-io/transport-node';
import { BusKeyring, BusSigner } from './bus-keys.js';

/** The bus settings of README "The bus" as parsed by the config schema (values or files). */
export interface BusSettings {
  NATS_URL: string;
  LOCKWELL_NATS_SEED?: string;
  LOCKWELL_NATS_SEED_FILE?: string;
  LOCKWELL_BUS_KEYS?: string;
  LOCKWELL_BUS_KEYS_FILE?: string;
  LOCKWELL_NATS_TLS_CA_FILE?: string;
  LOCKWELL_NATS_TLS_CERT_FILE?: string;
  LOCKWELL_NATS_TLS_KEY_FILE?: string;
}

/** Everything a process needs to be itself on the bus: where, with which key, whom to believe. */
export interface BusCredentials {
  identity: BusIdentity;
  url: string;
  seed: string;
  signer: BusSigner;
  keyring: BusKeyring;
  tls?: { caFile?: string; certFile?: string; keyFile?: string };
}

function valueOrFile(value: string | undefined, file: string | undefined, label: string): string {
  if (value) return value.trim();
  try {
    return readFileSync(file!, 'utf8').trim();
  } catch {
    throw new Error(`${label}_FILE: cannot read the file it names`);
  }
}

/**
 * Loads this process's bus identity: its nkey seed, the public keys of everyone, and TLS settings. Refuses
 * a seed that is not the key the keyring lists for `identity` (a service started with another's credential).
 */
export function loadBusCredentials(identity: BusIdentity, config: BusSettings): BusCredentials {
  const seed = valueOrFile(config.LOCKWELL_NATS_SEED, config.LOCKWELL_NATS_SEED_FILE, 'LOCKWELL_NATS_SEED');
  const signer = BusSigner.fromSeed(identity, seed, 'LOCKWELL_NATS_SEED');
  const keyring = BusKeyring.parse(
    valueOrFile(config.LOCKWELL_BUS_KEYS, config.LOCKWELL_BUS_KEYS_FILE, 'LOCKWELL_BUS_KEYS'),
    'LOCKWELL_BUS_KEYS',
  );
  if (keyring.publicKeyOf(identity) !== signer.publicKey) {
    throw new Error(`LOCKWELL_NATS_SEED: not the ${identity} key listed in LOCKWELL_BUS_KEYS`);
  }
  const wantsTls = config.NATS_URL.startsWith('tls://') || config.LOCKWELL_NATS_TLS_CA_FILE !== undefined;
  return {
    identity,
    url: config.NATS_URL.replace(/^tls:\/\//, 'nats://'),
    seed,
    signer,
    keyring,
    tls: wantsTls
      ? {
          caFile: config.LOCKWELL_NATS_TLS_CA_FILE,
          certFile: config.LOCKWELL_NATS_TLS_CERT_FILE,
          keyFile: config.LOCKWELL_NATS_TLS_KEY_FILE,
        }
      : undefined,
  };
}

/**
 * nats.js connection options for `creds`: nkey authentication, replies under the identity's own inbox prefix
 * (nobody else may subscribe there), TLS when configured (the client then refuses a server without it).
 */
export function natsConnectOptions(creds: BusCredentials, name: string): ConnectionOptions {
  const tls = creds.tls ? Object.fromEntries(Object.entries(creds.tls).filter(([, v]) => v !== undefined)) : undefined;
  return {
    servers: [creds.url],
    name,
    authenticator: nkeyAuthenticator(new TextEncoder().encode(creds.seed)),
    inboxPrefix: inboxPrefixOf(creds.identity),
    // Never give up reconnecting: after a NATS outage of any length the process comes back on its own (the
    // crash test, e2e/durability-crash.e2e.spec.ts, restarts nats-server under load).
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    ...(tls ? { tls } : {}),
  };
}

/** True for a NATS URL whose host is this machine (where TLS is not required). */
export function isLoopbackNatsUrl(url: string): boolean {
  const host = /^[a-z]+:\/\/(?:[^@/]*@)?(\[[^\]]+\]|[^:/,]+)/i.exec(url)?.[1]?.toLowerCase();
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host ?? '');
}
