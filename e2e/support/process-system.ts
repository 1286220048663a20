// A whole Lockwell system as real processes, the way `npm start` runs it (`node apps/<name>/dist/main.js` for
// every service replica and gateway), so a test can SIGKILL any one of them and start it again: the fault
// injection suite (e2e/resilience-faults.e2e.spec.ts). PostgreSQL and nats-server are the caller's.
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVICE_NAMES, type ServiceName } from '@lockwell/contracts';
import { freePort, parseReplicas, type NatsHandle } from '@lockwell/local-infra';
import { busEnv, serviceTestEnv, testMasterKey, uniqueDatabaseName } from '@lockwell/testing';
import { systemTestEnv } from './system.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export type ProcessName = ServiceName | 'gateway';

export interface ProcessSystemOptions {
  postgres: { url(db: string): string };
  nats: NatsHandle;
  /** Processes of each service and of the gateway (default: one each; each gateway on its own port). */
  replicas?: Partial<Record<ProcessName, number>>;
  /** Extra environment for every process. */
  env?: Record<string, string>;
  /** Each process's stdout and stderr are appended here (for a failed run's post-mortem). */
  logFile: string;
}

interface Proc {
  name: ProcessName;
  index: number;
  env: Record<string, string>;
  child?: ChildProcess;
}

export interface ProcessSystem {
  /** Every gateway replica's URL (replica i on its own port). */
  urls: string[];
  databaseUrl(service: ServiceName): string;
  /** How many processes of `name` run (alive or not). */
  count(name: ProcessName): number;
  /** SIGKILL one process (no shutdown hook runs) and wait until it is gone. */
  kill(name: ProcessName, index?: number): Promise<void>;
  /** Starts a killed process again with the same environment (database, bus key, port). */
  start(name: ProcessName, index?: number): Promise<void>;
  /** Resolves when every gateway answers /readyz 200; returns how long that took. */
  waitUntilReady(timeoutMs?: number): Promise<number>;
  stop(): Promise<void>;
}

export async function startProcessSystem(opts: ProcessSystemOptions): Promise<ProcessSystem> {
  const counts = { ...parseReplicas(undefined, [...SERVICE_NAMES, 'gateway']), ...opts.replicas };
  const masterKey = testMasterKey();
  const dbNames = Object.fromEntries(SERVICE_NAMES.map((s) => [s, uniqueDatabaseName(s)])) as Record<
    ServiceName,
    string
  >;
  const base = { PATH: process.env.PATH ?? '', ...systemTestEnv(masterKey, 'warn'), ...opts.env };
  const procs: Proc[] = [];
  for (const name of SERVICE_NAMES)
    for (let index = 0; index < counts[name]; index++) {
      const url = opts.postgres.url(dbNames[name]);
      procs.push({
        name,
        index,
        env: { ...serviceTestEnv(name, opts.nats, url, masterKey), ...base, DATABASE_URL: url },
      });
    }
  const ports: number[] = [];
  for (let index = 0; index < counts.gateway; index++) {
    ports.push(await freePort());
    procs.push({
      name: 'gateway',
      index,
      env: {
        ...base,
        ...busEnv(opts.nats, 'gateway'),
        LOCKWELL_PORT: String(ports[index]),
        LOCKWELL_HOST: '127.0.0.1',
      },
    });
  }
  const urls = ports.map((p) => `http://127.0.0.1:${p}`);
  const find = (name: ProcessName, index = 0) => {
    const p = procs.find((q) => q.name === name && q.index === index);
    if (!p) throw new Error(`no process ${name}#${index}`);
    return p;
  };
  const spawnProc = (p: Proc) => {
    const child = spawn(process.execPath, ['dist/main.js'], {
      cwd: path.join(root, 'apps', p.name),
      env: p.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const tag = `${p.name}#${p.index}`;
    const log = (chunk: Buffer) => appendFileSync(opts.logFile, `${tag} ${chunk.toString('utf8')}`);
    child.stdout!.on('data', log);
    child.stderr!.on('data', log);
    p.child = child;
  };
  const kill = async (p: Proc) => {
    const child = p.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  };
  const waitUntilReady = async (timeoutMs = 120_000) => {
    const started = Date.now();
    for (const url of urls) {
      for (;;) {
        const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(5000) }).catch(() => undefined);
        if (res?.status === 200) break;
        if (Date.now() - started > timeoutMs)
          throw new Error(`not ready within ${timeoutMs} ms: ${res ? await res.text() : 'no answer'}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    return Date.now() - started;
  };
  // Services first (each one's first replica migrates its database, the others wait on the migration lock), then the gateways.
  for (const p of procs) spawnProc(p);
  await waitUntilReady(180_000);
  return {
    urls,
    databaseUrl: (s) => opts.postgres.url(dbNames[s]),
    count: (name) => counts[name],
    kill: (name, index) => kill(find(name, index)),
    start: async (name, index) => spawnProc(find(name, index)),
    waitUntilReady,
    stop: async () => {
      await Promise.all(
        procs.map(async (p) => {
          const child = p.child;
          if (!child || child.exitCode !== null || child.signalCode !== null) return;
          const exited = new Promise((r) => child.once('exit', r));
          child.kill('SIGTERM');
          const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
          await exited;
          clearTimeout(t);
        }),
      );
    },
  };
}
