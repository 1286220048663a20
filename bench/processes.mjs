// Memory and CPU time of every process of a running Lockwell, read from /proc (Linux only).
// Node processes (services and gateway) are named by their working directory (apps/<name>) and reported by
// RSS; PostgreSQL's processes share their buffers, so they are reported together by PSS (each shared page
// counted once across them), and nats-server by RSS.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import path from 'node:path';

const mb = (kb) => Math.round(kb / 1024);

function readProc(pid) {
  try {
    return {
      pid,
      cmd: readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim(),
      cwd: readlinkSync(`/proc/${pid}/cwd`),
      ppid: Number(/PPid:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]),
      rssKb: Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0),
      // utime + stime (fields 14 and 15 of /proc/PID/stat, after the parenthesised command name), in clock ticks.
      cpuTicks: readFileSync(`/proc/${pid}/stat`, 'utf8')
        .slice(readFileSync(`/proc/${pid}/stat`, 'utf8').lastIndexOf(')') + 2)
        .split(' ')
        .slice(11, 13)
        .reduce((n, v) => n + Number(v), 0),
    };
  } catch {
    return null; // gone, or not ours to read
  }
}

function pssKb(pid) {
  try {
    return Number(/Pss:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** The system's processes by name: each service and the gateway (by working directory, this checkout only), nats-server and PostgreSQL's family. */
function systemProcesses(dataDir) {
  const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
  const procs = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map((d) => readProc(Number(d)))
    .filter(Boolean);
  const named = [];
  for (const p of procs) {
    const app = p.cwd.startsWith(`${root}/apps/`) ? /\/apps\/([^/]+)$/.exec(p.cwd)?.[1] : undefined;
    if (app && p.cmd.includes('dist/main.js')) named.push({ name: app, proc: p });
    else if (p.cmd.includes('nats-server') && p.cmd.includes(dataDir)) named.push({ name: 'nats-server', proc: p });
  }
  const postmaster = procs.find(
    (p) => p.cmd.includes('postgres') && p.cmd.includes(path.join(dataDir, 'pg')) && p.cmd.includes('-D'),
  );
  if (postmaster)
    for (const p of procs)
      if (p.pid === postmaster.pid || p.ppid === postmaster.pid) named.push({ name: 'postgres', proc: p });
  return { named, procs };
}

/** { identity: MB, …, gateway: MB, postgres: MB, 'nats-server': MB, limit: MB, total: MB } */
export function processFigures(dataDir, limitPid) {
  const { named, procs } = systemProcesses(dataDir);
  const out = {};
  for (const { name, proc } of named) {
    // PostgreSQL's processes share their buffers: PSS counts each shared page once across them.
    const kb = name === 'postgres' ? pssKb(proc.pid) : proc.rssKb;
    out[name] = (out[name] ?? 0) + kb;
  }
  for (const k of Object.keys(out)) out[k] = mb(out[k]);
  out.total = Object.values(out).reduce((n, v) => n + v, 0);
  if (limitPid) {
    const limit = procs.find((p) => p.pid === limitPid);
    if (limit) out.limit_server = mb(limit.rssKb);
  }
  return out;
}

/**
 * CPU time (user + system) each process has used so far, in ms, by name, plus `total` (the limit server apart,
 * as `limit_server`). Differences over a scenario divided by its requests give the CPU cost of one request, a
 * figure that moves much less than req/s when other work shares the machine.
 */
export function cpuFigures(dataDir, limitPid) {
  const { named, procs } = systemProcesses(dataDir);
  const tickMs = 1000 / 100; // USER_HZ is 100 on Linux
  const out = {};
  for (const { name, proc } of named) out[name] = (out[name] ?? 0) + proc.cpuTicks * tickMs;
  out.total = Object.values(out).reduce((n, v) => n + v, 0);
  const limit = limitPid && procs.find((p) => p.pid === limitPid);
  if (limit) out.limit_server = limit.cpuTicks * tickMs;
  return out;
}
