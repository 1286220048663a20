import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { SigningKeyEntity } from './signing-key.entity.js';

// Every replica serialises key rotation on this lock, so two never activate a key at the same moment.
const ROTATION_LOCK = 7_120_426_201;

/** The `signing_keys` table: identity's own keys, installation-wide by nature (no owner). */
@Injectable()
export class SigningKeyRepository {
  /** The key that signs now (the newest not retired). */
  active(em: EntityManager): Promise<SigningKeyEntity | null> {
    return em.findOne(SigningKeyEntity, { retiredAt: null }, { orderBy: { createdAt: 'desc' } });
  }

  /** Holds the rotation lock until the transaction ends. */
  async lockRotation(em: EntityManager): Promise<void> {
    await em.execute(`select pg_advisory_xact_lock(${ROTATION_LOCK})`);
  }

  add(
    em: EntityManager,
    key: Pick<SigningKeyEntity, 'kid' | 'algorithm' | 'publicJwk' | 'privateKeySealed' | 'createdAt'>,
  ): SigningKeyEntity {
    const entity = em.create(SigningKeyEntity, key);
    em.persist(entity);
    return entity;
  }

  /** The active key and the retired ones still published at `now`, newest first. */
  published(em: EntityManager, now: Date): Promise<SigningKeyEntity[]> {
    return em.find(
      SigningKeyEntity,
      { $or: [{ retiredAt: null }, { publishUntil: { $gt: now } }] },
      { orderBy: { createdAt: 'desc' } },
    );
  }

  /** A key with its sealed private half loaded (hidden and lazy otherwise). */
  withPrivateKey(em: EntityManager, kid: string): Promise<SigningKeyEntity> {
    return em.findOneOrFail(SigningKeyEntity, { kid }, { populate: ['privateKeySealed'] });
  }

  /** Every key's sealed private half, locked for re-sealing; keys another replica is re-sealing are skipped. */
  claimSealed(em: EntityManager): Promise<{ kid: string; private_key_sealed: Buffer }[]> {
    return em.execute(`select kid, private_key_sealed from signing_keys for update skip locked`);
  }

  async reseal(em: EntityManager, kid: string, sealed: Buffer): Promise<void> {
    await em.execute(`update signing_keys set private_key_sealed = ? where kid = ?`, [sealed, kid]);
  }

  /** Every key's sealed private half (its header names the master key that sealed it). */
  allSealed(em: EntityManager): Promise<{ private_key_sealed: Buffer }[]> {
    return em.execute(`select private_key_sealed from signing_keys`);
  }
}
