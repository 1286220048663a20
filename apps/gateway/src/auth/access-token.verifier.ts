import { Injectable } from '@nestjs/common';
import { ErrorCode } from '@lockwell/contracts';
import { LockwellError } from '@lockwell/service-kit';
import { decodeProtectedHeader, errors, jwtVerify } from 'jose';
import { z } from 'zod';
import { CLOCK_SKEW_SECONDS } from './auth.constants.js';
import { JwksCache } from './jwks.cache.js';

export interface VerifiedAccessToken {
  userId: string;
  sessionId: string;
  issuedAt: number;
}

// Headers that would let a token name its own verification key (RFC 8725 §3.10): never honoured, refused.
const KEY_BEARING_HEADERS = ['jku', 'x5u', 'jwk', 'x5c', 'crit'];
const Claims = z.object({ sub: z.uuid(), sid: z.uuid(), iat: z.number(), jti: z.string().min(1) });

export const unauthenticated = (message = 'The access token is invalid, expired or revoked') =>
  new LockwellError(ErrorCode.UNAUTHENTICATED, message);

/**
 * Verifies an access JWT against identity's JWKS with the algorithm pinned to the one identity signs with
 * (SES-1), requiring exp, nbf, iat, iss, aud and typ `at+jwt` with a small clock skew (SES-2).
 */
@Injectable()
export class AccessTokenVerifier {
  constructor(private readonly jwks: JwksCache) {}

  async verify(token: string): Promise<VerifiedAccessToken> {
    let kid: string | undefined;
    try {
      const header = decodeProtectedHeader(token);
      if (KEY_BEARING_HEADERS.some((h) => h in header) || typeof header.kid !== 'string') throw unauthenticated();
      kid = header.kid;
    } catch {
      throw unauthenticated();
    }
    const keys = await this.jwks.keys(kid);
    if (!keys.kids.has(kid)) throw unauthenticated();
    try {
      const { payload } = await jwtVerify(token, keys.keySet, {
        algorithms: [keys.algorithm],
        issuer: keys.issuer,
        audience: keys.audience,
        typ: 'at+jwt',
        clockTolerance: CLOCK_SKEW_SECONDS,
        requiredClaims: ['exp', 'nbf', 'iat', 'sub', 'sid', 'jti'],
      });
      const claims = Claims.parse(payload);
      return { userId: claims.sub, sessionId: claims.sid, issuedAt: claims.iat };
    } catch (err) {
      if (err instanceof errors.JOSEError || err instanceof z.ZodError) throw unauthenticated();
      throw err;
    }
  }
}
