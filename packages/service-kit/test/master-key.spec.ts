import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadMasterKeyRing } from '../src/index.js';

describe('master key loading (ENC-8)', () => {
  it('refuses a malformed key, naming the setting and never the value', () => {
    const wrong = 'not-a-32-byte-key-but-sensitive';
    let message = '';
    try {
      loadMasterKeyRing({ LOCKWELL_MASTER_KEY: wrong });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('LOCKWELL_MASTER_KEY');
    expect(message).not.toContain(wrong);
  });

  it('reads a key ring from LOCKWELL_MASTER_KEY_FILE', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'lw-key-'));
    const file = path.join(dir, 'master.key');
    writeFileSync(file, `1:${Buffer.alloc(32, 7).toString('base64')},2:${Buffer.alloc(32, 9).toString('base64')}\n`);
    const ring = loadMasterKeyRing({ LOCKWELL_MASTER_KEY_FILE: file });
    expect(ring.activeKeyId).toBe(2);
    expect(ring.keyIds.sort()).toEqual([1, 2]);
  });

  it('names the file setting when the file cannot be read', () => {
    expect(() => loadMasterKeyRing({ LOCKWELL_MASTER_KEY_FILE: '/nonexistent/master.key' })).toThrow(
      /LOCKWELL_MASTER_KEY_FILE/,
    );
  });
});
