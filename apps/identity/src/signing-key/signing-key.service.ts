import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { buildAad, generateToken, open, seal, type MasterKeyRing } from '@lockwell/crypto';
import { SigningKeysChanged, type CallContext } from '@lockwell/contracts';
import {
  assertGlobalPermission,
  CLOCK,
  type Clock,
  MASTER_KEY_RING,
  Outbox,
  SERVICE_CONFIG,
} from '@lockwell/service-kit';
import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { Config } from '../config.js';
import { SigningKeyRepository } from './signing-key.repository.js';

export const JWT_ALGORITHM = 'EdDSA' as const;
/** Tolerated clock skew between issuer and verifiers (SES-2: at most 60 s). */
export const CLOCK_SKEW_SECONDS = 30;
const DAY_MS = 86_400_000;

/** What a signing key's sealed private half is bound to (ENC-3): its kid. */
export const signingKeyAad = (kid: string) => buildAad({ purpose: 'jwt-signing-key', kid });

export interface Signer {
  kid: string;
  key: KeyObject;
}

/**
 * Ed25519 JWT signing keys: created at first use, rotated after LOCKWELL_SIGNING_KEY_ROTATION_DAYS or on
 * demand. A retired key stays published in the JWKS until every token it signed has expired (KEY-5).
 */
@Injectable()
export class SigningKeyService {
  private readonly privateKeys = new Map<string, KeyObject>();

  constructor(
    private readonly em: EntityManager,
    private readonly keys: SigningKeyRepository,
    private readonly outbox: Outbox,
    @Inject(MASTER_KEY_RING) private readonly ring: MasterKeyRing,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SERVICE_CONFIG) private readonly config: Config,
  ) {}

  /** The active key, rotating first when it is older than the rotation period (or none exists). */
  async activeSigner(): Promise<Signer> {
    const em = this.em.fork();
    let active = await this.keys.active(em);
    const maxAgeMs = this.config.LOCKWELL_SIGNING_KEY_ROTATION_DAYS * DAY_MS;
    if (!active || this.clock.now().getTime() - active.createdAt.getTime() >= maxAgeMs) {
      await this.rotate({ onlyIfOlderThanMs: maxAgeMs });
      active = await this.keys.active(em.fork());
      if (!active) throw new Error('no active signing key after a rotation');
    }
    return { kid: active.kid, key: await this.privateKey(active.kid) };
  }

  /**
   * Activates a fresh key and retires the current one, published until its last token expired.
   * With `onlyIfOlderThanMs`, does nothing when another replica rotated meanwhile.
   */
  async rotate(
    opts: { onlyIfOlderThanMs?: number } = {},
  ): Promise<{ kid: string; previousKid: string | null; previousPublishedUntil: Date | null }> {
    return this.em.fork().transactional(async (tx) => {
      await this.keys.lockRotation(tx);
      const now = this.clock.now();
      const current = await this.keys.active(tx);
      if (
        current &&
        opts.onlyIfOlderThanMs !== undefined &&
        now.getTime() - current.createdAt.getTime() < opts.onlyIfOlderThanMs
      ) {
        return { kid: current.kid, previousKid: null, previousPublishedUntil: null };
      }
      let publishUntil: Date | null = null;
      if (current) {
        publishUntil = new Date(
          now.getTime() + (this.config.LOCKWELL_ACCESS_TOKEN_TTL_SECONDS + CLOCK_SKEW_SECONDS * 2) * 1000,
        );
        current.retiredAt = now;
        current.publishUntil = publishUntil;
      }
      const kid = generateToken('', 16);
      const { publicKey, privateKey } = generateKeyPairSync('ed25519');
      const der = privateKey.export({ format: 'der', type: 'pkcs8' });
      const jwk = publicKey.export({ format: 'jwk' }) as Record<string, string>;
      this.keys.add(tx, {
        kid,
        algorithm: JWT_ALGORITHM,
        publicJwk: { kty: jwk.kty!, crv: jwk.crv!, x: jwk.x!, kid, alg: JWT_ALGORITHM, use: 'sig' },
        privateKeySealed: seal(this.ring.key(this.ring.activeKeyId), this.ring.activeKeyId, der, signingKeyAad(kid)),
        createdAt: now,
      });
      this.outbox.emit(tx, SigningKeysChanged, { kid });
      return { kid, previousKid: current?.kid ?? null, previousPublishedUntil: publishUntil };
    });
  }

  /** An administrator's rotation (keys:rotate), audited. */
  async rotateOnRequest(
    ctx: CallContext,
  ): Promise<{ kid: string; previous_kid: string | null; previous_published_until: string | null }> {
    assertGlobalPermission(ctx, 'keys:rotate');
    const rotated = await this.rotate();
    await this.em.fork().transactional(async (tx) => {
      this.outbox.audit(tx, ctx, {
        action: 'signing_key.rotate',
        resourceType: 'signing_key',
        resourceId: rotated.kid,
        tenantId: null,
        detail: { previous_kid: rotated.previousKid },
      });
    });
    return {
      kid: rotated.kid,
      previous_kid: rotated.previousKid,
      previous_published_until: rotated.previousPublishedUntil?.toISOString() ?? null,
    };
  }

  /** Public JWKs of the active key and of retired keys whose tokens may still be valid. */
  async publishedKeys(): Promise<Record<string, string>[]> {
    const now = this.clock.now();
    return (await this.keys.published(this.em.fork(), now)).map((k) => k.publicJwk);
  }

  private async privateKey(kid: string): Promise<KeyObject> {
    const cached = this.privateKeys.get(kid);
    if (cached) return cached;
    const row = await this.keys.withPrivateKey(this.em.fork(), kid);
    const der = open((id) => this.ring.key(id), Buffer.from(row.privateKeySealed), signingKeyAad(kid));
    const key = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
    this.privateKeys.set(kid, key);
    return key;
  }
}
