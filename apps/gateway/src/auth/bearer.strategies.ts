import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Principal } from '@lockwell/contracts';
import { Strategy } from 'passport-custom';
import type { FastifyRequest } from 'fastify';
import { API_TOKEN_PREFIX } from './auth.constants.js';
import { AccessTokenVerifier, unauthenticated } from './access-token.verifier.js';
import { PrincipalResolver } from './principal.resolver.js';
import { RevokedSessions } from './revoked-sessions.js';

export const JWT_STRATEGY = 'lockwell-jwt';
export const API_TOKEN_STRATEGY = 'lockwell-api-token';

/** The bearer credential of a request, or null when the header is missing or not `Bearer <token>`. */
export function bearerOf(req: FastifyRequest): string | null {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return null;
  const match = /^Bearer ([A-Za-z0-9._~+/=-]{1,4096})$/.exec(header.trim());
  return match ? match[1]! : null;
}

/** `Authorization: Bearer <access JWT>`: verified locally, refused when its session was revoked. */
@Injectable()
export class AccessTokenStrategy extends PassportStrategy(Strategy, JWT_STRATEGY) {
  constructor(
    private readonly verifier: AccessTokenVerifier,
    private readonly revoked: RevokedSessions,
    private readonly principals: PrincipalResolver,
  ) {
    super();
  }

  async validate(req: FastifyRequest): Promise<Principal | false> {
    const token = bearerOf(req);
    if (!token || token.startsWith(API_TOKEN_PREFIX)) return false;
    const verified = await this.verifier.verify(token);
    if (this.revoked.isRevoked(verified.sessionId)) throw unauthenticated();
    return this.principals.forAccessToken(verified, req.id);
  }
}

/** `Authorization: Bearer lw_...`: a machine API token, resolved by identity and cached briefly. */
@Injectable()
export class ApiTokenStrategy extends PassportStrategy(Strategy, API_TOKEN_STRATEGY) {
  constructor(private readonly principals: PrincipalResolver) {
    super();
  }

  async validate(req: FastifyRequest): Promise<Principal | false> {
    const token = bearerOf(req);
    if (!token || !token.startsWith(API_TOKEN_PREFIX)) return false;
    return this.principals.forApiToken(token, req.id);
  }
}
