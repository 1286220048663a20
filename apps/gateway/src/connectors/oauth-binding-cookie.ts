import { createHash, randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { API_PREFIX } from '../http/api-prefix.js';

/** The callback route, the only path the binding cookie is sent to. */
export const CALLBACK_PATH = `/${API_PREFIX}/services/oauth/callback`;
const PREFIX = '__Secure-lockwell-oauth-';
const MAX_AGE_SECONDS = 600;

/**
 * Binds a browser flow to the browser that started it (RFC 6749 §10.12, OC-1): POST /authorize sets a random
 * HttpOnly cookie scoped to the callback path, and the connectors service keeps only its SHA-256 with the
 * state. The callback completes only when the same browser presents it, so a state created by one user and
 * opened by another (a link sent to a victim) is refused. One cookie per flow (its name derives from the
 * state), so flows in several tabs do not overwrite each other. SameSite=Lax: the provider's redirect back is
 * a cross-site top-level GET, which Lax allows and Strict would not.
 */
export function newBinding(): { value: string; hash: string } {
  const value = randomBytes(32).toString('base64url');
  return { value, hash: hashOf(value) };
}

export const hashOf = (value: string) => createHash('sha256').update(value, 'utf8').digest('hex');

const cookieName = (state: string) =>
  `${PREFIX}${createHash('sha256').update(state, 'utf8').digest('hex').slice(0, 16)}`;
const ATTRIBUTES = `Path=${CALLBACK_PATH}; HttpOnly; Secure; SameSite=Lax`;

export const bindingCookie = (state: string, value: string) =>
  `${cookieName(state)}=${value}; Max-Age=${MAX_AGE_SECONDS}; ${ATTRIBUTES}`;
export const clearedBindingCookie = (state: string) => `${cookieName(state)}=; Max-Age=0; ${ATTRIBUTES}`;

/** The binding the browser presents for `state`, or null. */
export function bindingFrom(req: FastifyRequest, state: string | undefined): string | null {
  const header = req.headers.cookie;
  if (!state || typeof header !== 'string') return null;
  const name = cookieName(state);
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      return /^[A-Za-z0-9_-]{43}$/.test(value) ? value : null;
    }
  }
  return null;
}
