import { Injectable } from '@nestjs/common';
import { ErrorCode } from '@lockwell/contracts';
import { LockwellError } from '@lockwell/service-kit';
import { decodeProtectedHeader, errors, jwtVerify } from 'jose';
import { z } from 'zod';
import { CLOCK_SKEW_SECONDS, VERIFIED_TOKEN_CACHE_MAX, VERIFIED_TOKEN_CACHE_TTL_MS } from './auth.constants.js';
import { ExpiringCache } from './expiring-cache.js';
import { JwksCache, type VerificationKeys } from './jwks.cache.js';

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

interface Verified {
  token: VerifiedAccessToken;
  /** The key set it was verified with: a refreshed or invalidated JWKS means verifying again. */
  keys: VerificationKeys;
  kid: string;
  /** `exp` in ms plus the tolerated skew: past it the token is refused as jose would. */
  validUntil: number;
}

/**
 * Verifies an access JWT against identity's JWKS with the algorithm pinned to the one identity signs with
 * (SES-1), requiring exp, nbf, iat, iss, aud and typ `at+jwt` with a small clock skew (SES-2).
 * A client sends the same token with every request for its lifetime, so a verified token is remembered by its
 * exact bytes (bounded in count and time) and not verified again while the same JWKS snapshot is current and
 * it has not expired: a signature check per request was the gateway's largest cost on the read path.
 * Revocation is unaffected: sessions and `tokens_valid_after` are checked on every request after this.
 */
@Injectable()
export class AccessTokenVerifier {
  /** Concurrent first uses of one token share a single verification; a failed one is not remembered. */
  private readonly verified = new ExpiringCache<Verified>(VERIFIED_TOKEN_CACHE_TTL_MS, VERIFIED_TOKEN_CACHE_MAX);

  constructor(private readonly jwks: JwksCache) {}

  async verify(token: string): Promise<VerifiedAccessToken> {
    const hit = await this.verified.get(token, () => this.verifyFully(token));
    if (Date.now() < hit.validUntil && (await this.jwks.keys(hit.kid)) === hit.keys) return hit.token;
    this.verified.delete(token);
    return (await this.verified.get(token, () => this.verifyFully(token))).token;
  }

  private async verifyFully(token: string): Promise<Verified> {
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
      return {
        token: { userId: claims.sub, sessionId: claims.sid, issuedAt: claims.iat },
        keys,
        kid,
        validUntil: (payload.exp! + CLOCK_SKEW_SECONDS) * 1000,
      };
    } catch (err) {
      if (err instanceof errors.JOSEError || err instanceof z.ZodError) throw unauthenticated();
      throw err;
    }
  }
}
