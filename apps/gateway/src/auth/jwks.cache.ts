import { Injectable } from '@nestjs/common';
import { IdentityJwksGet, systemContext, type JwksResponse } from '@lockwell/contracts';
import { RpcClient } from '@lockwell/service-kit';
import { createLocalJWKSet, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { JWKS_MIN_REFETCH_MS, JWKS_TTL_MS } from './auth.constants.js';

export interface VerificationKeys {
  keySet: JWTVerifyGetKey;
  kids: Set<string>;
  issuer: string;
  audience: string;
  algorithm: JwksResponse['algorithm'];
}

/**
 * Identity's public signing keys, fetched over NATS and cached. An unknown `kid` triggers a refetch (a key
 * was just rotated in), rate-limited so garbage kids cannot make the gateway hammer identity.
 */
@Injectable()
export class JwksCache {
  private current?: { keys: VerificationKeys; fetchedAt: number };
  private inflight?: Promise<VerificationKeys>;
  private lastFetchStartedAt = 0;

  constructor(private readonly rpc: RpcClient) {}

  /** The keys, refreshed when stale; with `kid`, refetched early (rate-limited) if it is not known. */
  async keys(kid?: string): Promise<VerificationKeys> {
    const now = Date.now();
    const cur = this.current;
    const stale = !cur || now - cur.fetchedAt > JWKS_TTL_MS;
    const unknownKid =
      cur && kid !== undefined && !cur.keys.kids.has(kid) && now - this.lastFetchStartedAt >= JWKS_MIN_REFETCH_MS;
    if (stale || unknownKid) return this.fetch();
    return cur.keys;
  }

  private fetch(): Promise<VerificationKeys> {
    this.inflight ??= (async () => {
      this.lastFetchStartedAt = Date.now();
      try {
        const res = await this.rpc.request(IdentityJwksGet, {}, systemContext('jwks-refresh'));
        const keys: VerificationKeys = {
          keySet: createLocalJWKSet({ keys: res.keys } as JSONWebKeySet),
          kids: new Set(res.keys.map((k) => k.kid)),
          issuer: res.issuer,
          audience: res.audience,
          algorithm: res.algorithm,
        };
        this.current = { keys, fetchedAt: Date.now() };
        return keys;
      } finally {
        this.inflight = undefined;
      }
    })();
    return this.inflight;
  }

  /** Forgets the keys (a rotation happened): the next verification fetches them again. */
  invalidate(): void {
    this.current = undefined;
  }

  /** The JWK Set as published at /.well-known/jwks.json. */
  async publicJwks(): Promise<{ keys: unknown[] }> {
    return { keys: (await this.rpc.request(IdentityJwksGet, {}, systemContext('jwks-publish'))).keys };
  }
}
