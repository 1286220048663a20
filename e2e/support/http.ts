// A tiny HTTP client for black-box tests: JSON in, { status, headers, body } out.
export interface HttpResult<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export async function http<T = any>(
  base: string,
  method: string,
  path: string,
  opts: { body?: unknown; token?: string; headers?: Record<string, string>; raw?: string; signal?: AbortSignal } = {},
): Promise<HttpResult<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined = opts.raw;
  if (opts.body !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = JSON.stringify(opts.body);
  }
  const res = await fetch(base + path, { method, headers, body, signal: opts.signal });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON */
  }
  return { status: res.status, headers: res.headers, body: parsed as T, text };
}

/** Binds `http` to one base URL. */
export const clientFor = (base: string) => ({
  get: <T = any>(path: string, o?: Parameters<typeof http>[3]) => http<T>(base, 'GET', path, o),
  post: <T = any>(path: string, body?: unknown, o?: Parameters<typeof http>[3]) =>
    http<T>(base, 'POST', path, { ...o, body }),
  put: <T = any>(path: string, body?: unknown, o?: Parameters<typeof http>[3]) =>
    http<T>(base, 'PUT', path, { ...o, body }),
  delete: <T = any>(path: string, o?: Parameters<typeof http>[3]) => http<T>(base, 'DELETE', path, o),
});
