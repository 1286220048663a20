import type { EntityManager } from '@mikro-orm/postgresql';
import { buildAad, DecryptError, open, parseMasterKeyRing, unwrapDataKey } from '@lockwell/crypto';
import type { Logger } from '@lockwell/service-kit';
import { GOLDEN_V1 } from '../../test/fixtures/golden-v1.js';
import { fakeUnitOfWork } from '@lockwell/testing';
import type { DataKeyRepository } from '../keys/data-key.repository.js';
import { DataKeyService, dataKeyAad } from '../keys/data-key.service.js';
import type { Scope } from '../keys/scope.js';
import type { VaultSettings } from '../vault-settings.js';
import { SecretCipher, secretAad } from './secret-cipher.js';

// ENC-3 / ENC-6 for the vault's own envelope: stored data written by an earlier build still decrypts (the
// golden fixture), and every field of both AADs is bound: change any one and decryption fails.
const G = GOLDEN_V1;
const ring = parseMasterKeyRing(G.masterKey, 'LOCKWELL_MASTER_KEY');
const wrapped = Buffer.from(G.wrappedKeyHex, 'hex');
const ciphertext = Buffer.from(G.ciphertextHex, 'hex');
const OTHER_ID = '0a0b0c0d-0e0f-4a1b-8c2d-3e4f5a6b7c8d';
const settings: VaultSettings = {
  inactiveAfterDays: 30,
  deletionDelayDays: 30,
  expiryWarningDays: 7,
  lifecycleIntervalMs: 0,
  dekCacheTtlMs: 60_000,
  dekCacheMax: 100,
  dekMaxEncryptions: 2 ** 32,
  dekMaxAgeDays: 365,
  maxSecretsPerTenant: 10_000,
  maxSecretsPerUser: 1000,
};
const clock = { now: () => new Date('2026-12-01T10:00:00Z') };
const silent = { error: () => undefined } as unknown as Logger;

/** The data_keys table as a repository stand-in: the golden wrapped key under its scope and version, nothing else. */
const dataKeysTable = {
  wrappedKey: async (_em: EntityManager, scope: Scope, version: number) =>
    scope.type === G.scope.type && scope.id === G.scope.id && version === G.dataKeyVersion ? wrapped : undefined,
} as unknown as DataKeyRepository;
/** A data_keys table in which the golden wrapped key sits under whatever scope and version is asked for. */
const copiedEverywhere = { wrappedKey: async () => wrapped } as unknown as DataKeyRepository;
const em = fakeUnitOfWork();
const cipher = () => new SecretCipher(new DataKeyService(ring, clock, settings, dataKeysTable), silent);

describe('golden fixture (format v1)', () => {
  it('builds today the AAD strings the stored data was bound to', () => {
    expect(secretAad(G.scope, G.secretId, G.version, G.dataKeyVersion)).toBe(G.aad);
    expect(dataKeyAad(G.scope, G.dataKeyVersion)).toBe(G.wrapAad);
  });

  it("decrypts the stored value through the vault's cipher and data-key code", async () => {
    await expect(cipher().decrypt(em, G.scope, G.secretId, G.version, G.dataKeyVersion, ciphertext)).resolves.toBe(
      G.plaintext,
    );
  });
});

describe('every AAD field of the secret envelope is bound (ENC-3)', () => {
  const dek = unwrapDataKey(ring, wrapped, G.wrapAad);
  const parts = {
    purpose: 'vault-secret',
    scope: G.scope.type,
    scope_id: G.scope.id,
    secret_id: G.secretId,
    version: G.version,
    key_version: G.dataKeyVersion,
  };
  const changed: Record<keyof typeof parts, string | number> = {
    purpose: 'vault-data-key',
    scope: 'user',
    scope_id: OTHER_ID,
    secret_id: OTHER_ID,
    version: 1,
    key_version: 2,
  };

  it('opens with exactly the original fields', () => {
    expect(open(() => dek, ciphertext, buildAad(parts)).toString('utf8')).toBe(G.plaintext);
  });

  for (const field of Object.keys(parts) as (keyof typeof parts)[]) {
    it(`refuses the value when ${field} differs`, () => {
      expect(() => open(() => dek, ciphertext, buildAad({ ...parts, [field]: changed[field] }))).toThrow(DecryptError);
    });
  }

  it("refuses, through the cipher, an old version's ciphertext read as another version, secret or scope", async () => {
    const decrypt = (scope: Scope, secretId: string, version: number) =>
      cipher().decrypt(em, scope, secretId, version, G.dataKeyVersion, ciphertext);
    for (const attempt of [
      decrypt(G.scope, G.secretId, 3),
      decrypt(G.scope, OTHER_ID, G.version),
      decrypt({ type: 'tenant', id: OTHER_ID }, G.secretId, G.version),
    ]) {
      await expect(attempt).rejects.toMatchObject({ code: 'INTERNAL' });
    }
    await expect(cipher().decrypt(em, G.scope, G.secretId, G.version, 2, ciphertext)).rejects.toMatchObject({
      code: 'INTERNAL',
    });
  });
});

describe('every AAD field of the wrapped data key is bound (ENC-3)', () => {
  const parts = { purpose: 'vault-data-key', scope: G.scope.type, scope_id: G.scope.id, version: G.dataKeyVersion };
  const changed: Record<keyof typeof parts, string | number> = {
    purpose: 'vault-secret',
    scope: 'user',
    scope_id: OTHER_ID,
    version: 2,
  };

  it('unwraps with exactly the original fields', () => {
    expect(unwrapDataKey(ring, wrapped, buildAad(parts))).toHaveLength(32);
  });

  for (const field of Object.keys(parts) as (keyof typeof parts)[]) {
    it(`refuses the data key when ${field} differs`, () => {
      expect(() => unwrapDataKey(ring, wrapped, buildAad({ ...parts, [field]: changed[field] }))).toThrow(DecryptError);
    });
  }

  it('a wrapped key copied to another scope or version does not unwrap through the data-key service', async () => {
    const copied = new DataKeyService(ring, clock, settings, copiedEverywhere);
    await expect(copied.forDecryption(em, { type: 'tenant', id: OTHER_ID }, 3)).rejects.toThrow(DecryptError);
    await expect(copied.forDecryption(em, { type: 'user', id: G.scope.id }, 3)).rejects.toThrow(DecryptError);
    await expect(copied.forDecryption(em, G.scope, 4)).rejects.toThrow(DecryptError);
    const keys = new DataKeyService(ring, clock, settings, dataKeysTable);
    await expect(keys.forDecryption(em, G.scope, 4)).rejects.toThrow('no data key');
    await expect(keys.forDecryption(em, G.scope, G.dataKeyVersion)).resolves.toHaveLength(32);
  });
});
