import 'reflect-metadata';
import { jest } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '@lockwell/service-kit';
import {
  anonymous,
  startServiceUnderTest,
  startTestNats,
  testDatabaseUrl,
  uniqueDatabaseName,
  type ServiceUnderTest,
} from '@lockwell/testing';
import type { NatsHandle } from '@lockwell/local-infra';
import { service } from '../src/app.module.js';
import { AuthService } from '../src/auth/auth.service.js';

// The bootstrap administrator without LOCKWELL_ADMIN_PASSWORD: the generated password goes to a file only its
// owner can read, never to stdout or the log.
describe('bootstrap administrator with a generated password', () => {
  let nats: NatsHandle;
  let dir: string;
  const logs: string[] = [];
  const stdout: string[] = [];

  // No LOCKWELL_ADMIN_PASSWORD: the administrator gets a generated one.
  const boot = (databaseUrl: string, passwordFile: string): Promise<ServiceUnderTest> =>
    startServiceUnderTest(service, {
      nats,
      databaseUrl,
      env: { LOCKWELL_GENERATED_ADMIN_PASSWORD_FILE: passwordFile, LOG_LEVEL: 'info' },
      logger: createLogger('identity', 'info', { write: (line: string) => void logs.push(line) }),
    });

  beforeAll(async () => {
    nats = await startTestNats();
    dir = mkdtempSync(path.join(os.tmpdir(), 'lockwell-bootstrap-'));
  });
  afterAll(async () => {
    await nats?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the password to a 0600 file, logs only where it is, and the administrator can log in with it', async () => {
    const file = path.join(dir, 'admin-password');
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stdout.push(String(chunk));
      return true;
    });
    let app: ServiceUnderTest | undefined;
    try {
      app = await boot(testDatabaseUrl(uniqueDatabaseName('idboot')), file);
    } finally {
      write.mockRestore();
    }
    try {
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const password = readFileSync(file, 'utf8').trim();
      expect(password).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(logs.join('\n')).not.toContain(password);
      expect(stdout.join('')).not.toContain(password);
      expect(logs.some((l) => l.includes('generated password') && l.includes(file))).toBe(true);
      const auth = app.get(AuthService);
      const pair = await app.inUnitOfWork(() => auth.login(anonymous(), { email: 'admin@lockwell.local', password }));
      expect(pair.access_token).toEqual(expect.any(String));
    } finally {
      await app?.stop();
    }
  });

  it('creates no administrator when the file cannot be written, and says which setting to fix', async () => {
    const databaseUrl = testDatabaseUrl(uniqueDatabaseName('idboot'));
    await expect(boot(databaseUrl, path.join(dir, 'missing-dir', 'admin-password'))).rejects.toThrow(
      'LOCKWELL_GENERATED_ADMIN_PASSWORD_FILE: cannot write the file it names',
    );
    // Had the failed start created the administrator, this one would find it and write no password.
    const file = path.join(dir, 'second-try');
    const app = await boot(databaseUrl, file);
    await app.stop();
    expect(readFileSync(file, 'utf8').trim()).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });
});
