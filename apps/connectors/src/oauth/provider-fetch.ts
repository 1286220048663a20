import { ProviderError } from './oauth-client.port.js';

export interface ProviderFetchOptions {
  timeoutMs: number;
  maxBytes: number;
  /** Rewrites a 200 carrying `{"error": ...}` (GitHub, Slack) into the 400 RFC 6749 §5.2 prescribes. */
  errorsWithStatus200: boolean;
  fetch?: typeof globalThis.fetch;
}

type FetchInit = {
  method: string;
  headers: Record<string, string>;
  body?: unknown;
  redirect?: 'manual';
  signal?: AbortSignal;
};

/**
 * OC-7: provider responses are untrusted. Every request has a deadline, never follows redirects, and reads at
 * most `maxBytes` of the answer (a larger one is refused before it is parsed). Only the headers the OAuth
 * client needs are passed on.
 */
export function providerFetch(opts: ProviderFetchOptions) {
  const doFetch = opts.fetch ?? globalThis.fetch;
  return async (url: string, init: FetchInit): Promise<Response> => {
    const signals = [AbortSignal.timeout(opts.timeoutMs), ...(init.signal ? [init.signal] : [])];
    const response = await doFetch(url, {
      ...(init as RequestInit),
      redirect: 'manual',
      signal: AbortSignal.any(signals),
    });
    let body = await readLimited(response, opts.maxBytes);
    let status = response.status;
    if (opts.errorsWithStatus200 && status === 200) {
      const error = bodyError(body);
      if (error) {
        status = 400;
        body = new TextEncoder().encode(JSON.stringify(error));
      }
    }
    const headers = new Headers();
    for (const name of ['content-type', 'www-authenticate', 'cache-control', 'retry-after']) {
      const value = response.headers.get(name);
      if (value !== null) headers.set(name, value);
    }
    if (status !== response.status) headers.set('content-type', 'application/json');
    return new Response(status === 204 || status === 304 ? null : body, {
      status,
      statusText: response.statusText,
      headers,
    });
  };
}

async function readLimited(response: Response, maxBytes: number): Promise<Uint8Array<ArrayBuffer>> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge(maxBytes);
  }
  if (!response.body) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

const tooLarge = (maxBytes: number) =>
  new ProviderError('invalid', null, `the provider's response exceeds ${maxBytes} bytes`);

/** `{"error": "..."}` or Slack's `{"ok": false, "error": "..."}` in a 200 body; null for anything else. */
function bodyError(body: Uint8Array): { error: string; error_description?: string } | null {
  try {
    const json = JSON.parse(new TextDecoder().decode(body)) as Record<string, unknown>;
    if (typeof json !== 'object' || json === null) return null;
    if (typeof json.error === 'string' && (json.ok === false || typeof json.access_token !== 'string')) {
      return {
        error: json.error,
        ...(typeof json.error_description === 'string' ? { error_description: json.error_description } : {}),
      };
    }
    return null;
  } catch {
    return null;
  }
}
