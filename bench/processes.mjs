// Memory of every process of a running Lockwell, in MB, read from /proc (Linux only).
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

/** { identity: MB, …, gateway: MB, postgres: MB, 'nats-server': MB, limit: MB, total: MB } */
export function processFigures(dataDir, limitPid) {
  const procs = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map((d) => readProc(Number(d)))
    .filter(Boolean);
  const out = {};
  for (const p of procs) {
    const app = /\/apps\/([^/]+)$/.exec(p.cwd)?.[1];
    if (app && p.cmd.includes('dist/main.js')) out[app] = (out[app] ?? 0) + mb(p.rssKb);
    else if (p.cmd.includes('nats-server') && p.cmd.includes(dataDir)) out['nats-server'] = mb(p.rssKb);
  }
  const postmaster = procs.find(
    (p) => p.cmd.includes('postgres') && p.cmd.includes(path.join(dataDir, 'pg')) && p.cmd.includes('-D'),
  );
  if (postmaster) {
    const family = procs.filter((p) => p.pid === postmaster.pid || p.ppid === postmaster.pid);
    out.postgres = mb(family.reduce((n, p) => n + pssKb(p.pid), 0));
  }
  out.total = Object.values(out).reduce((n, v) => n + v, 0);
  if (limitPid) {
    const limit = procs.find((p) => p.pid === limitPid);
    if (limit) out.limit_server = mb(limit.rssKb);
  }
  return out;
}
