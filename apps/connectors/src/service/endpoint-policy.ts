import { ErrorCode } from '@lockwell/contracts';
import { LockwellError } from '@lockwell/service-kit';

const LOOPBACK_HOSTS = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\]|localhost)$/;

export const isLoopbackHost = (hostname: string): boolean => LOOPBACK_HOSTS.test(hostname);

/**
 * OC-7: every URL the broker contacts or sends a browser to comes from an administrator's configuration or a
 * preset, and is https; plain http is accepted only on loopback and only where `allowLoopbackHttp` (local runs
 * and tests). No credentials in the URL, no fragment (RFC 6749 §3.1).
 */
export function checkEndpoint(value: string, field: string, allowLoopbackHttp: boolean): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid(field, 'must be an absolute URL');
  }
  if (url.username || url.password) throw invalid(field, 'must not carry credentials');
  if (url.hash) throw invalid(field, 'must not have a fragment');
  if (url.protocol === 'https:') return url.href;
  if (url.protocol === 'http:' && allowLoopbackHttp && isLoopbackHost(url.hostname)) return url.href;
  throw invalid(field, allowLoopbackHttp ? 'must be https (http only on loopback)' : 'must be https');
}

export const invalid = (field: string, issue: string) =>
  new LockwellError(ErrorCode.VALIDATION_FAILED, 'The request is invalid', [{ field, issue }]);
