import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CredentialsFile } from './credentials-file.js';
import { withFileLock } from './file-lock.js';

describe('credentials file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'lockwell-creds-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is written with mode 0600 in a 0700 folder, whatever the umask and the previous file said', () => {
    const configDir = path.join(dir, 'lockwell');
    const file = new CredentialsFile(configDir);
    const umask = process.umask(0o000);
    try {
      file.write({ servers: { 'http://x': { type: 'api_token', token: 'lw_secret' } } });
      writeFileSync(file.path, '{"servers":{}}', { mode: 0o644 });
      file.update((d) => (d.current = 'http://x'));
    } finally {
      process.umask(umask);
    }
    expect(statSync(file.path).mode & 0o777).toBe(0o600);
    expect(statSync(configDir).mode & 0o777).toBe(0o700);
    expect(file.read()).toEqual({ current: 'http://x', servers: {} });
  });

  it('reads a missing file as no logins, and names a corrupt one without echoing it', () => {
    const file = new CredentialsFile(dir);
    expect(file.read()).toEqual({ servers: {} });
    writeFileSync(file.path, 'lw_token_garbage');
    expect(() => file.read()).toThrow(/credentials.json is not valid JSON/);
    expect(() => file.read()).not.toThrow(/lw_token_garbage/);
  });

  it('lets one holder at a time into the lock and takes over one abandoned by a dead process', async () => {
    const lock = path.join(dir, 'x.lock');
    const order: string[] = [];
    const holder = (name: string) =>
      withFileLock(lock, async () => {
        order.push(`${name} in`);
        await new Promise((resolve) => setTimeout(resolve, 30));
        order.push(`${name} out`);
      });
    await Promise.all([holder('a'), holder('b')]);
    expect(order).toEqual(['a in', 'a out', 'b in', 'b out']);

    writeFileSync(lock, '999999999'); // no such process
    await expect(withFileLock(lock, async () => 'taken over')).resolves.toBe('taken over');
  });
});
