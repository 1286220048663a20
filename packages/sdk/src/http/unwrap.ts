import { LockwellApiError } from '../errors.js';

/** The data of an openapi-fetch call, or a LockwellApiError carrying the API's code and request id. */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) throw LockwellApiError.from(response, error);
  return data as T;
}
