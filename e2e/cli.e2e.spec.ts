// The `lockwell` CLI as a user runs it: a child process with its own config dir, against a real system.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { eventually } from '@lockwell/testing';
import { startTestOidcProvider } from '@lockwell/testing/oidc';
import { callbackUrl, CLIENT, connect, registerService } from './support/connectors.js';
import { adminToken, createUser, type CreatedUser } from './support/auth.js';
import { clientFor } from './support/http.js';
import { startSystem, type TestSystem } from './support/system.js';

const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../packages/cli/bin/lockwell.js');

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

describe('lockwell CLI', () => {
  let sys: TestSystem;
  let api: ReturnType<typeof clientFor>;
  let alice: CreatedUser;
  let home: string;
  let tenantId: string;
  let tenantSlug: string;
  const canary = `CANARY-${randomUUID()}`;

  function start(
    args: string[],
    opts: { input?: string; env?: Record<string, string>; home?: string } = {},
  ): { child: ChildProcess; done: Promise<Run> } {
    const dir = opts.home ?? home;
    const child = spawn(process.execPath, [CLI, ...args], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: dir,
        XDG_CONFIG_HOME: path.join(dir, '.config'),
        LOCKWELL_URL: sys.url,
        ...opts.env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    child.stdin!.end(opts.input ?? '');
    const done = new Promise<Run>((resolve) =>
      child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
    );
    return { child, done };
  }
  const lockwell = (args: string[], opts?: Parameters<typeof start>[1]) => start(args, opts).done;

  /** Every run's output, to check that no value leaks where it was not asked for. */
  const expectNoValue = (run: Run) => {
    expect(run.stdout).not.toContain(canary);
    expect(run.stderr).not.toContain(canary);
    return run;
  };
  const expectClean = (run: Run) => {
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    return run;
  };

  beforeAll(async () => {
    sys = await startSystem();
    api = clientFor(sys.url);
    alice = await createUser(sys, await adminToken(sys));
    home = mkdtempSync(path.join(os.tmpdir(), 'lockwell-cli-'));
    const tenant = await api.post(
      '/api/v1/tenants',
      { name: `CLI ${randomUUID().slice(0, 8)}` },
      { token: alice.access_token },
    );
    tenantId = tenant.body.id;
    tenantSlug = tenant.body.slug;
    // The creator's membership reaches the gateway's cache through an event: wait until it can write.
    await eventually(
      async () =>
        (await api.get(`/api/v1/tenant-secrets?tenant_id=${tenantId}`, { token: alice.access_token })).status === 200,
      10_000,
    );
  });
  afterAll(async () => {
    await sys?.stop();
    rmSync(home, { recursive: true, force: true });
  });

  it('logs in with the password from stdin and keeps the session in a 0600 file it never prints', async () => {
    const run = expectClean(await lockwell(['login', '--email', alice.email], { input: `${alice.password}\n` }));
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain(`Logged in to ${sys.url} as ${alice.email}`);
    const file = path.join(home, '.config/lockwell/credentials.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    const stored = JSON.parse(readFileSync(file, 'utf8'));
    const refreshToken = stored.servers[sys.url].refresh_token as string;
    expect(refreshToken).toMatch(/^lwrt_/);
    expect(readFileSync(file, 'utf8')).not.toContain(alice.password);
    expect(run.stdout + run.stderr).not.toContain(refreshToken);

    const who = await lockwell(['whoami']);
    expect(who.code).toBe(0);
    expect(who.stdout).toContain(alice.email);
    expect(who.stdout + who.stderr).not.toContain(refreshToken);
    const tenants = await lockwell(['tenants', 'list', '--json']);
    expect(JSON.parse(tenants.stdout).map((t: { slug: string }) => t.slug)).toContain(tenantSlug);
  });

  it('sets a tenant secret from stdin, lists it without the value, gets it, versions and rolls it back', async () => {
    const scope = ['--tenant', tenantSlug, '--env', 'production'];
    const set = expectNoValue(await lockwell(['secrets', 'set', 'db/password', ...scope], { input: `${canary}-v1\n` }));
    expect(set.code).toBe(0);
    expect(set.stdout).toMatch(/^Created db\/password in production \(version 1, id [0-9a-f-]{36}\)\n$/);
    const update = expectNoValue(
      await lockwell(['secrets', 'set', 'db/password', ...scope, '--json'], { input: `${canary}-v2` }),
    );
    expect(JSON.parse(update.stdout)).toMatchObject({ service_name: 'db', secret_key_name: 'password', version: 2 });

    const list = expectNoValue(await lockwell(['secrets', 'list', '--tenant', tenantSlug]));
    expect(list.stdout).toMatch(/^SERVICE\s+KEY\s+ENV\s+TYPE\s+VERSION\s+STATUS\s+ID\n/);
    expect(list.stdout).toMatch(/db\s+password\s+production\s+generic\s+2\s+active/);
    expectNoValue(await lockwell(['secrets', 'list', '--tenant', tenantId, '--json']));

    const get = await lockwell(['secrets', 'get', 'db/password', '--tenant', tenantSlug]);
    expect(get).toMatchObject({ code: 0, stdout: `${canary}-v2\n` });
    expect(
      (await lockwell(['secrets', 'get', 'db/password', '--tenant', tenantSlug, '--version', '1', '--raw'])).stdout,
    ).toBe(`${canary}-v1`);

    const versions = expectNoValue(await lockwell(['secrets', 'versions', 'db/password', '--tenant', tenantSlug]));
    expect(versions.stdout.trim().split('\n')).toHaveLength(3);
    const rollback = expectNoValue(
      await lockwell(['secrets', 'rollback', 'db/password', '--tenant', tenantSlug, '--version', '1']),
    );
    expect(rollback.stdout).toContain('now version 3');
    expect((await lockwell(['secrets', 'get', 'db/password', '--tenant', tenantSlug, '--raw'])).stdout).toBe(
      `${canary}-v1`,
    );
  });

  it('keeps personal secrets apart, reads a value from --file, and removes with a scheduled deletion', async () => {
    const file = path.join(home, 'value.txt');
    writeFileSync(file, `${canary}-personal\n`);
    expect(expectNoValue(await lockwell(['secrets', 'set', 'github/token', '--file', file])).code).toBe(0);
    expect((await lockwell(['secrets', 'get', 'github/token'])).stdout).toBe(`${canary}-personal\n\n`);
    const notInTenant = expectClean(await lockwell(['secrets', 'get', 'github/token', '--tenant', tenantSlug]));
    expect(notInTenant.code).toBe(1);
    expect(notInTenant.stderr).toContain('no secret github/token in tenant');
    const rm = expectNoValue(await lockwell(['secrets', 'rm', 'github/token']));
    expect(rm.stdout).toMatch(/^Scheduled github\/token for deletion at \d{4}-/);
  });

  it('exports secrets as dotenv, JSON and YAML under derived names', async () => {
    await lockwell(['secrets', 'set', 'openai/api-key', '--tenant', tenantSlug, '--env', 'production'], {
      input: "it's-a-secret",
    });
    const dotenv = await lockwell(['export', '--tenant', tenantSlug, '--env', 'production']);
    expect(dotenv.stdout).toBe(`DB_PASSWORD='${canary}-v1'\nOPENAI_API_KEY="it's-a-secret"\n`);
    expect(
      JSON.parse(
        (await lockwell(['export', '--tenant', tenantSlug, '--env', 'production', '--format', 'json'])).stdout,
      ),
    ).toEqual({
      DB_PASSWORD: `${canary}-v1`,
      OPENAI_API_KEY: "it's-a-secret",
    });
    expect(
      (await lockwell(['export', '--tenant', tenantSlug, '--env', 'production', '--service', 'db', '--format', 'yaml']))
        .stdout,
    ).toBe(`PASSWORD: "${canary}-v1"\n`);
  });

  it('runs a command with the secrets in its environment and passes its exit code through', async () => {
    const run = await lockwell([
      'run',
      '--tenant',
      tenantSlug,
      '--env',
      'production',
      '--',
      process.execPath,
      '-e',
      'process.stdout.write(process.env.DB_PASSWORD); process.exit(7)',
    ]);
    expect(run).toMatchObject({ code: 7, stdout: `${canary}-v1` });
    const missing = expectClean(
      await lockwell(['run', '--tenant', tenantSlug, '--env', 'production', '--', 'no-such-command-xyz']),
    );
    expect(missing.code).toBe(127);
  });

  it('forwards SIGTERM to the command and exits as it does', async () => {
    const script =
      'process.on("SIGTERM", () => { process.stdout.write("got SIGTERM"); process.exit(42); }); process.stdout.write("ready\\n"); setInterval(() => {}, 1000);';
    const handled = start(['run', '--tenant', tenantSlug, '--env', 'production', '--', process.execPath, '-e', script]);
    await waitForOutput(handled.child, 'ready');
    handled.child.kill('SIGTERM');
    expect(await handled.done).toMatchObject({ code: 42, stdout: 'ready\ngot SIGTERM' });

    // A command that dies of the signal makes lockwell die of it too.
    const plain = start([
      'run',
      '--tenant',
      tenantSlug,
      '--env',
      'production',
      '--',
      process.execPath,
      '-e',
      'process.stdout.write("ready\\n"); setInterval(() => {}, 1000);',
    ]);
    await waitForOutput(plain.child, 'ready');
    plain.child.kill('SIGTERM');
    expect(await plain.done).toMatchObject({ code: null, signal: 'SIGTERM' });
  });

  it('refuses to run when two secrets map to one variable name, and names them', async () => {
    const scope = ['--tenant', tenantSlug, '--env', 'clash'];
    await lockwell(['secrets', 'set', 'my-svc/key', ...scope], { input: 'a' });
    await lockwell(['secrets', 'set', 'my_svc/key', ...scope], { input: 'b' });
    const run = expectClean(
      await lockwell(['run', ...scope, '--', process.execPath, '-e', 'process.stdout.write("ran")']),
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('MY_SVC_KEY: my-svc/key, my_svc/key');
  });

  it('with an API token that gets revoked: works, then fails with a clear message and a non-zero exit', async () => {
    const created = await api.post(
      '/api/v1/tokens/api',
      { name: 'cli-e2e', tenant_id: tenantId, permissions: ['secrets:list', 'secrets:read'] },
      { token: alice.access_token },
    );
    expect(created.status).toBe(201);
    const other = mkdtempSync(path.join(os.tmpdir(), 'lockwell-cli-token-'));
    try {
      const login = await lockwell(['login', '--token'], { input: `${created.body.token}\n`, home: other });
      expect(login.code).toBe(0);
      expect(login.stdout + login.stderr).not.toContain(created.body.token);
      expect((await lockwell(['secrets', 'list', '--tenant', tenantId], { home: other })).code).toBe(0);
      // LOCKWELL_TOKEN works without any stored login.
      expect(
        (
          await lockwell(['secrets', 'get', 'db/password', '--tenant', tenantId, '--raw'], {
            env: { LOCKWELL_TOKEN: created.body.token },
            home: os.tmpdir(),
          })
        ).stdout,
      ).toBe(`${canary}-v1`);

      expect((await api.delete(`/api/v1/tokens/api/${created.body.id}`, { token: alice.access_token })).status).toBe(
        204,
      );
      const refused = expectClean(await lockwell(['secrets', 'list', '--tenant', tenantId], { home: other }));
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(
        /^lockwell: .* refused your credentials: they were revoked, expired or logged out \(UNAUTHENTICATED, request \S+\)\nhint: run `lockwell login`/,
      );
      const json = await lockwell(['secrets', 'list', '--tenant', tenantId, '--json'], { home: other });
      expect(JSON.parse(json.stderr).error.code).toBe('UNAUTHENTICATED');
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('answers every mistake with a message and a non-zero exit, and has --help on every command', async () => {
    const unknown = expectClean(await lockwell(['secrets', 'frobnicate']));
    expect(unknown.code).toBe(2);
    const badFlag = expectClean(await lockwell(['secrets', 'list', '--bogus']));
    expect(badFlag).toMatchObject({ code: 2 });
    expect(badFlag.stderr).toContain("Unknown option '--bogus'");
    const noEnv = expectClean(await lockwell(['export', '--tenant', tenantSlug]));
    expect(noEnv.code).toBe(2);
    expect(noEnv.stderr).toContain('--env is required');
    const noTenant = expectClean(await lockwell(['secrets', 'list', '--tenant', 'no-such-tenant']));
    expect(noTenant.code).toBe(1);
    const down = expectClean(await lockwell(['whoami', '--url', 'http://127.0.0.1:1']));
    expect(down.code).toBe(1);
    // A connection that does not exist: a clear error with the code and request id, not a crash.
    const token = expectClean(await lockwell(['token', randomUUID()]));
    expect(token.code).toBe(1);
    expect(token.stderr).toMatch(/^lockwell: .*\(CONNECTION_NOT_FOUND, request \S+\)\n$/);

    for (const command of [
      'login',
      'logout',
      'whoami',
      'tenants list',
      'secrets list',
      'secrets get',
      'secrets set',
      'secrets rm',
      'secrets versions',
      'secrets rollback',
      'export',
      'run',
      'token',
    ]) {
      const help = await lockwell([...command.split(' '), '--help']);
      expect({
        command,
        code: help.code,
        usage: help.stdout.startsWith(`usage: `) && help.stdout.includes(`lockwell ${command}`),
      }).toEqual({ command, code: 0, usage: true });
    }
  });

  it('prints a brokered access token the provider calls active (token CONNECTION, --json)', async () => {
    // Expiry and refresh are the broker's tests (connectors.e2e, sdk.e2e); here a long-lived token, so that two CLI
    // process starts on a loaded machine do not outlive it before the introspection.
    const provider = await startTestOidcProvider({
      clients: [{ ...CLIENT, redirect_uris: [callbackUrl(sys.url)] }],
      accessTokenTtlSeconds: 60,
    });
    try {
      const serviceId = await registerService(sys.url, await adminToken(sys), provider);
      const done = await connect(sys.url, provider, {
        token: alice.access_token,
        serviceId,
        login: `cli-${randomUUID()}`,
      });
      expect(done.status).toBe(200);
      const plain = expectClean(await lockwell(['token', done.body.connection.id]));
      expect(plain.code).toBe(0);
      const accessToken = plain.stdout.trim();
      expect(await provider.introspect(accessToken)).toMatchObject({ active: true });
      const json = expectClean(await lockwell(['token', done.body.connection.id, '--json']));
      expect(JSON.parse(json.stdout)).toMatchObject({
        access_token: accessToken,
        token_type: expect.any(String),
        scopes: expect.arrayContaining(['openid']),
      });
      expect(json.stdout).not.toContain('refresh_token');
    } finally {
      await provider.stop();
    }
  });

  it('logs out: the session ends on the server and the stored login is gone', async () => {
    const stored = JSON.parse(readFileSync(path.join(home, '.config/lockwell/credentials.json'), 'utf8')).servers[
      sys.url
    ];
    const out = await lockwell(['logout']);
    expect(out.code).toBe(0);
    expect(JSON.parse(readFileSync(path.join(home, '.config/lockwell/credentials.json'), 'utf8')).servers).toEqual({});
    expect((await api.post('/api/v1/auth/refresh', { refresh_token: stored.refresh_token })).status).toBe(401);
    const after = expectClean(await lockwell(['whoami']));
    expect(after.code).toBe(1);
    expect(after.stderr).toContain('not logged in');
  });
});

function waitForOutput(child: ChildProcess, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`no "${text}" within 15 s`)), 15_000);
    child.stdout!.on('data', (d) => {
      seen += d;
      if (seen.includes(text)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}
