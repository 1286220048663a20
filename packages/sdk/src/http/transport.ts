// The fetch that every SDK request goes through: it adds the credentials, renews an access token the server
// rejected once, and retries what is safe to retry. openapi-fetch calls it with a ready Request.
import { LockwellNetworkError } from '../errors.js';
import { backoffMs, isReplayable, retryAfterMs, type RetryPolicy } from './retry-policy.js';

export type FetchLike = (request: Request) => Promise<Response>;

/** Supplies the Authorization header. */
export interface AuthProvider {
  /** The header value for the next request (`Bearer …`). */
  authorization(): Promise<string>;
  /** Called once per request after a 401 answered `rejected`; true when a new credential is worth a retry. */
  renew?(rejected: string): Promise<boolean>;
}

export interface TransportDeps {
  fetch: FetchLike;
  auth?: AuthProvider;
  retry: RetryPolicy;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
}

export function createTransport(deps: TransportDeps): FetchLike {
  return async function send(request: Request): Promise<Response> {
    let attempt = 0;
    let renewed = false;
    for (;;) {
      const headers = new Headers(request.headers);
      const authorization = deps.auth && !headers.has('authorization') ? await deps.auth.authorization() : undefined;
      if (authorization) headers.set('authorization', authorization);
      let response: Response;
      try {
        response = await deps.fetch(new Request(request.clone(), { headers }));
      } catch (err) {
        if (attempt < deps.retry.retries && isReplayable(request.method, request.url)) {
          await deps.sleep(backoffMs(deps.retry, attempt++));
          continue;
        }
        throw new LockwellNetworkError(new URL(request.url).origin, err);
      }
      if (response.status === 401 && authorization && deps.auth?.renew && !renewed) {
        renewed = true;
        if (await deps.auth.renew(authorization)) {
          await response.body?.cancel();
          continue;
        }
      }
      const retryable =
        response.status === 429 || (response.status === 503 && isReplayable(request.method, request.url));
      if (retryable && attempt < deps.retry.retries) {
        const wait = retryAfterMs(response.headers.get('retry-after'), deps.now()) ?? backoffMs(deps.retry, attempt);
        if (wait <= deps.retry.maxRetryAfterMs) {
          attempt++;
          await response.body?.cancel();
          await deps.sleep(wait);
          continue;
        }
      }
      return response;
    }
  };
}
