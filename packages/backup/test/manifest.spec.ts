import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SERVICE_NAMES } from '@lockwell/contracts';
import { generateMasterKeySpec, parseMasterKeyRing } from '@lockwell/crypto';
import {
  BACKUP_FORMAT,
  compareVersions,
  keyCheckValues,
  keyMismatches,
  readManifest,
  sha256File,
  verifyDumps,
  type Manifest,
} from '../src/index.js';

const SERVICES = SERVICE_NAMES;

describe('backup manifest', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'lockwell-manifest-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function writeBackup(): Promise<Manifest> {
    const databases = [];
    for (const service of SERVICES) {
      writeFileSync(path.join(dir, `${service}.dump`), `dump of ${service}`);
      databases.push({
        service,
        database: `lockwell_${service}`,
        file: `${service}.dump`,
        bytes: `dump of ${service}`.length,
        sha256: await sha256File(path.join(dir, `${service}.dump`)),
        migrations: ['Migration1'],
      });
    }
    const manifest: Manifest = {
      format: BACKUP_FORMAT,
      lockwell_version: '0.1.0',
      created_at: new Date().toISOString(),
      consistency: { method: 'exported-snapshots', spread_ms: 1.5 },
      postgres: { server_version: '15.8', pg_dump: 'pg_dump (PostgreSQL) 15.8' },
      master_key: { check_values: { '1': '0123456789abcdef' }, in_use: [1] },
      databases,
    };
    writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
    return manifest;
  }

  it('reads a complete backup and verifies every dump', async () => {
    const written = await writeBackup();
    const manifest = await readManifest(dir);
    expect(manifest).toEqual(written);
    await expect(verifyDumps(dir, manifest)).resolves.toBeUndefined();
  });

  it('calls a directory without a manifest unfinished', async () => {
    await expect(readManifest(dir)).rejects.toThrow(/holds no manifest.json/);
  });

  it('refuses a manifest whose file names leave the backup directory', async () => {
    const manifest = await writeBackup();
    manifest.databases[0].file = '../../etc/passwd';
    writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
    await expect(readManifest(dir)).rejects.toThrow(/databases.0.file/);
  });

  it('detects a damaged or truncated dump', async () => {
    const manifest = await writeBackup();
    writeFileSync(path.join(dir, 'vault.dump'), 'dump of vaulT');
    await expect(verifyDumps(dir, manifest)).rejects.toThrow(/vault.dump does not match its SHA-256/);
    writeFileSync(path.join(dir, 'vault.dump'), 'short');
    await expect(verifyDumps(dir, manifest)).rejects.toThrow(/vault.dump has 5 bytes/);
  });

  it('orders versions numerically', () => {
    expect(compareVersions('0.1.0', '0.1.0')).toBe(0);
    expect(compareVersions('0.9.0', '0.10.0')).toBe(-1);
    expect(compareVersions('1.0.0', '0.99.99')).toBe(1);
    expect(compareVersions('1.2.3-rc.1', '1.2.3')).toBe(0);
  });
});

describe('master key check', () => {
  const spec1 = generateMasterKeySpec(1);
  const ring = parseMasterKeyRing(spec1, 'TEST');
  const recorded = { check_values: keyCheckValues(ring), in_use: [1] };

  it('accepts the same ring, and the same ring with a newer key added after the backup', () => {
    expect(keyMismatches(recorded, ring)).toEqual([]);
    expect(keyMismatches(recorded, parseMasterKeyRing(`${spec1},${generateMasterKeySpec(2)}`, 'TEST'))).toEqual([]);
  });

  it('names a different key under the same id, and a key the data needs that the ring lacks', () => {
    expect(keyMismatches(recorded, parseMasterKeyRing(generateMasterKeySpec(1), 'TEST'))).toEqual([
      expect.stringMatching(/^key id 1 has check value [0-9a-f]{16}, the backup was taken with/),
    ]);
    expect(keyMismatches(recorded, parseMasterKeyRing(generateMasterKeySpec(2), 'TEST'))).toEqual([
      'key id 1 wraps data in the backup but is not in the ring',
    ]);
  });

  it('does not demand an old key that nothing in the backup uses any more', () => {
    const rotated = parseMasterKeyRing(`${spec1},${generateMasterKeySpec(2)}`, 'TEST');
    const afterRotation = { check_values: keyCheckValues(rotated), in_use: [2] };
    const key2Only = parseMasterKeyRing(`2:${rotated.key(2).toString('base64')}`, 'TEST');
    expect(keyMismatches(afterRotation, key2Only)).toEqual([]);
  });
});
