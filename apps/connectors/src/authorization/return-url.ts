import { invalid } from '../service/endpoint-policy.js';

/**
 * No open redirect: a flow's `return_to` is a path on the gateway's own origin, or a URL whose origin equals and
 * whose path starts with one of LOCKWELL_CONNECTORS_RETURN_URLS. It is checked when the flow starts and stored;
 * the callback never reads a return address from its own query string.
 */
export function checkReturnTo(value: string, allowedPrefixes: string[]): string {
  if (/[\p{Cc}\\]/u.test(value)) throw invalid('return_to', 'not an allowed return URL');
  // A path on this origin; `//host` would be protocol-relative, i.e. another origin.
  if (value.startsWith('/') && !value.startsWith('//')) return value;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid('return_to', 'a path on this origin or a URL under LOCKWELL_CONNECTORS_RETURN_URLS');
  }
  const allowed = allowedPrefixes.some((prefix) => {
    const p = new URL(prefix);
    return url.origin === p.origin && url.pathname.startsWith(p.pathname) && !url.username && !url.password;
  });
  if (!allowed) throw invalid('return_to', 'not an allowed return URL (LOCKWELL_CONNECTORS_RETURN_URLS)');
  return url.href;
}
