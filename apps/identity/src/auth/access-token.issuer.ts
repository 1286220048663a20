import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock, SERVICE_CONFIG } from '@lockwell/service-kit';
import { SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import type { Config } from '../config.js';
import { JWT_ALGORITHM, SigningKeyService } from '../signing-key/signing-key.service.js';

/** Mints short-lived access JWTs (RFC 9068 `at+jwt`), signed with the active Ed25519 key and its `kid`. */
@Injectable()
export class AccessTokenIssuer {
  constructor(
    private readonly keys: SigningKeyService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SERVICE_CONFIG) private readonly config: Config,
  ) {}

  get ttlSeconds(): number {
    return this.config.LOCKWELL_ACCESS_TOKEN_TTL_SECONDS;
  }

  async issue(userId: string, sessionId: string): Promise<string> {
    const signer = await this.keys.activeSigner();
    const now = Math.floor(this.clock.now().getTime() / 1000);
    return new SignJWT({ sid: sessionId })
      .setProtectedHeader({ alg: JWT_ALGORITHM, kid: signer.kid, typ: 'at+jwt' })
      .setIssuer(this.config.LOCKWELL_JWT_ISSUER)
      .setAudience(this.config.LOCKWELL_JWT_AUDIENCE)
      .setSubject(userId)
      .setJti(randomUUID())
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + this.ttlSeconds)
      .sign(signer.key);
  }
}
