import { generateMasterKeySpec, KeyNotFoundError, masterKeyCheckValue, parseMasterKeyRing } from '../src/index.js';

describe('masterKeyCheckValue', () => {
  it('is stable for one key, differs between keys, and never contains the key', () => {
    const spec = generateMasterKeySpec(1);
    const ring = parseMasterKeyRing(spec, 'TEST');
    const again = parseMasterKeyRing(spec, 'TEST');
    const other = parseMasterKeyRing(generateMasterKeySpec(1), 'TEST');
    const kcv = masterKeyCheckValue(ring, 1);
    expect(kcv).toMatch(/^[0-9a-f]{16}$/);
    expect(masterKeyCheckValue(again, 1)).toBe(kcv);
    expect(masterKeyCheckValue(other, 1)).not.toBe(kcv);
    expect(ring.key(1).toString('hex')).not.toContain(kcv);
  });

  it('is the documented value (HMAC-SHA256 of the v1 label, 64 bits): backups written earlier stay checkable', () => {
    const ring = parseMasterKeyRing(`1:${Buffer.alloc(32, 7).toString('base64')}`, 'TEST');
    expect(masterKeyCheckValue(ring, 1)).toBe('be76c12787128e75');
  });

  it('fingerprints each key of a ring separately and throws for an id the ring lacks', () => {
    const ring = parseMasterKeyRing(`${generateMasterKeySpec(1)},${generateMasterKeySpec(2)}`, 'TEST');
    expect(masterKeyCheckValue(ring, 1)).not.toBe(masterKeyCheckValue(ring, 2));
    expect(() => masterKeyCheckValue(ring, 3)).toThrow(KeyNotFoundError);
  });
});
