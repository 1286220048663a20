// `npm start`'s runner (infra/local/run.mjs), exercised as a newcomer would: it brings up PostgreSQL,
// nats-server, six services and the gateway from nothing, and Ctrl-C leaves no process behind. It runs with
// LOCKWELL_REPLICAS=vault=2,gateway=2: two vault processes and a second gateway on LOCKWELL_PORT + 1.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { BUS_IDENTITIES, SERVICE_NAMES } from '@lockwell/contracts';
import { freePort } from '@lockwell/local-infra';
import { connect } from '@nats-io/transport-node';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('npm start (infra/local/run.mjs)', () => {
  let dir: string;
  let child: ChildProcess;
  let output = '';
  let port: number;
  let natsPort: number;
  let pgPort: number;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'lockwell-run-'));
    chmodSync(dir, 0o755);
    port = await freePort();
    pgPort = await freePort();
    child = spawn(process.execPath, ['infra/local/run.mjs'], {
      cwd: root,
      env: {
        ...process.env,
        LOCKWELL_DATA_DIR: dir,
        LOCKWELL_PORT: String(port),
        LOCKWELL_PG_PORT: String(pgPort),
        LOCKWELL_NATS_PORT: String((natsPort = await freePort())),
        LOCKWELL_SMTP_PORT: String(await freePort()),
        LOCKWELL_REPLICAS: 'vault=2,gateway=2',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    const deadline = Date.now() + 150_000;
    while (!/ready/.test(output)) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`run.mjs did not become ready:\n${output}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }, 180_000);

  afterAll(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves a ready gateway listing six services', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { services: unknown[] };
    expect(body.services).toHaveLength(6);
  });

  it('runs the replicas LOCKWELL_REPLICAS asks for: two vault processes, a second gateway on the next port', async () => {
    expect(output).toContain('replicas: vault×2, gateway×2');
    expect(output).toContain(`http://127.0.0.1:${port}  http://127.0.0.1:${port + 1}`);
    const pids = JSON.parse(readFileSync(path.join(dir, 'run.pids.json'), 'utf8')).children as number[];
    expect(pids.filter(alive)).toHaveLength(SERVICE_NAMES.length + 1 + 2);
    const res = await fetch(`http://127.0.0.1:${port + 1}/readyz`);
    expect(res.status).toBe(200);
  });

  it('prints the console URL, and the built console answers there', async () => {
    expect(output).toContain(`console http://127.0.0.1:${port}/ `);
    const res = await fetch(`http://127.0.0.1:${port}/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<div id="root"></div>');
  });

  it('runs PostgreSQL durably: fsync, synchronous_commit and full_page_writes on', async () => {
    const client = new pg.Client({ connectionString: `postgresql://postgres@127.0.0.1:${pgPort}/postgres` });
    await client.connect();
    try {
      const { rows } = await client.query(
        `select name, setting from pg_settings where name in ('fsync', 'synchronous_commit', 'full_page_writes') order by name`,
      );
      expect(rows).toEqual([
        { name: 'fsync', setting: 'on' },
        { name: 'full_page_writes', setting: 'on' },
        { name: 'synchronous_commit', setting: 'on' },
      ]);
    } finally {
      await client.end();
    }
  });

  it('generates a development master key readable only by its owner, and warns about production', () => {
    const key = path.join(dir, 'master.key');
    expect(statSync(key).mode & 0o777).toBe(0o600);
    expect(readFileSync(key, 'utf8')).toMatch(/^1:[A-Za-z0-9+/]{43}=\n$/);
    expect(output).toContain('LOCKWELL_MASTER_KEY');
  });

  it('writes the generated bootstrap password to a 0600 file and never to its output', () => {
    const file = path.join(dir, 'admin-password');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const password = readFileSync(file, 'utf8').trim();
    expect(password.length).toBeGreaterThanOrEqual(32);
    expect(output).not.toContain(password);
    expect(output).toContain(file);
  });

  it('runs the bus with one key per process, readable only by its owner, and refuses anonymous clients', async () => {
    const bus = path.join(dir, 'nats', 'bus');
    for (const id of BUS_IDENTITIES) {
      expect({ id, mode: statSync(path.join(bus, `${id}.seed`)).mode & 0o777 }).toEqual({ id, mode: 0o600 });
    }
    expect(readFileSync(path.join(bus, 'nats.conf'), 'utf8')).not.toMatch(/no_auth_user/);
    await expect(connect({ servers: [`nats://127.0.0.1:${natsPort}`], reconnect: false })).rejects.toThrow(
      /Authorization Violation/,
    );
  });

  it("catches the notifications' mail as .eml files under .data/mail/ and says so in its banner", async () => {
    const mailDir = path.join(dir, 'mail');
    expect(output).toContain(`written, one .eml file per message, to ${mailDir}/`);
    const password = readFileSync(path.join(dir, 'admin-password'), 'utf8').trim();
    const login = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@lockwell.local', password }),
    });
    const { access_token } = (await login.json()) as { access_token: string };
    const changed = await fetch(`http://127.0.0.1:${port}/api/v1/users/me/password`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${access_token}` },
      body: JSON.stringify({ current_password: password, new_password: `${password}-changed` }),
    });
    expect(changed.status).toBe(204);
    const deadline = Date.now() + 20_000;
    let mails: string[] = [];
    while (Date.now() < deadline && !mails.length) {
      await new Promise((r) => setTimeout(r, 250));
      mails = existsSync(mailDir) ? readdirSync(mailDir).filter((f) => f.endsWith('.eml')) : [];
    }
    expect(mails).toHaveLength(1);
    const eml = readFileSync(path.join(mailDir, mails[0]!), 'utf8');
    expect(eml).toContain('To: admin@lockwell.local');
    expect(eml).toContain('Subject: your Lockwell password was changed');
  }, 30_000);

  it('stops every child, nats-server and PostgreSQL on SIGINT', async () => {
    const natsPid = Number(readFileSync(path.join(dir, 'nats', 'nats.pid'), 'utf8'));
    expect(alive(natsPid)).toBe(true);
    const pids = JSON.parse(readFileSync(path.join(dir, 'run.pids.json'), 'utf8')).children as number[];
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(pids.filter(alive)).toEqual([]);
    expect(alive(natsPid)).toBe(false);
    expect(existsSync(path.join(dir, 'pg', 'postmaster.pid'))).toBe(false);
  }, 30_000);

  it('backs the stopped system up with npm run backup: PostgreSQL started alone, the dev key, then stopped again', async () => {
    const out = path.join(dir, 'backup');
    const env: NodeJS.ProcessEnv = { ...process.env, LOCKWELL_DATA_DIR: dir, LOCKWELL_PG_PORT: String(pgPort) };
    delete env.LOCKWELL_MASTER_KEY;
    delete env.LOCKWELL_MASTER_KEY_FILE;
    const result = await new Promise<{ code: number | null; output: string }>((resolve) => {
      const run = spawn('bash', ['infra/backup.sh', 'backup', '--out', out], {
        cwd: root,
        env: { ...env, INIT_CWD: root },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let text = '';
      run.stdout!.on('data', (d) => (text += d));
      run.stderr!.on('data', (d) => (text += d));
      run.once('exit', (code) => resolve({ code, output: text }));
    });
    expect(result.output).toContain('starting PostgreSQL alone');
    expect(result.output).toMatch(/backup written to .*: 6 databases/);
    expect(result.code).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    expect(manifest.databases.map((d: { database: string }) => d.database).sort()).toEqual(
      [...SERVICE_NAMES].sort().map((s) => `lockwell_${s}`),
    );
    expect(existsSync(path.join(dir, 'pg', 'postmaster.pid'))).toBe(false);
  }, 60_000);
});
