import type { FastifyRequest } from 'fastify';
import { API_PREFIX } from '../http/api-prefix.js';

/** The console's session routes; the refresh cookie is sent to them and nowhere else. */
export const CONSOLE_SESSION_PATH = `/${API_PREFIX}/auth/console`;

/**
 * `__Secure-` rather than `__Host-`: a `__Host-` cookie must have `Path=/`, which would send the refresh token
 * with every request to the origin (SES-10 wants it path-scoped). `__Secure-` still makes the browser refuse it
 * without `Secure`, and without a Domain attribute the cookie stays host-only, as `__Host-` would.
 */
export const CONSOLE_COOKIE = '__Secure-lockwell-console';

const ATTRIBUTES = `Path=${CONSOLE_SESSION_PATH}; HttpOnly; Secure; SameSite=Strict`;

/**
 * A session cookie (no Max-Age): closing the browser forgets it; the session itself still ends by identity's
 * idle and absolute limits.
 */
export const sessionCookie = (refreshToken: string) => `${CONSOLE_COOKIE}=${refreshToken}; ${ATTRIBUTES}`;
export const clearedCookie = () => `${CONSOLE_COOKIE}=; Max-Age=0; ${ATTRIBUTES}`;

/** The refresh token from the request's Cookie header, or null. */
export function refreshTokenFrom(req: FastifyRequest): string | null {
  const header = req.headers.cookie;
  if (typeof header !== 'string') return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === CONSOLE_COOKIE) {
      const value = part.slice(eq + 1).trim();
      return /^[A-Za-z0-9_-]{1,512}$/.test(value) ? value : null;
    }
  }
  return null;
}
