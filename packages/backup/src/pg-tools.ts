import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { BackupError } from './errors.js';
import { redactUrl, urlPassword } from './targets.js';
import { toolEnvironment } from './config.js';

const SYSTEM_PG = '/usr/lib/postgresql';

/**
 * pg_dump or pg_restore: from `binDir` (LOCKWELL_PG_BIN) when given, else the newest system PostgreSQL under
 * /usr/lib/postgresql, else whatever PATH finds. pg_dump must be at least as new as the server it dumps.
 */
export function pgTool(name: 'pg_dump' | 'pg_restore', binDir?: string): string {
  if (binDir) return path.join(binDir, name);
  if (existsSync(SYSTEM_PG)) {
    const versions = readdirSync(SYSTEM_PG)
      .filter((v) => existsSync(path.join(SYSTEM_PG, v, 'bin', name)))
      .sort((a, b) => Number(b) - Number(a));
    if (versions.length) return path.join(SYSTEM_PG, versions[0], 'bin', name);
  }
  return name;
}

export interface ToolResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs a PostgreSQL client tool against `url`: the password goes in PGPASSWORD, never in the arguments. */
export function runTool(tool: string, args: string[], url?: string): Promise<ToolResult> {
  const password = url ? urlPassword(url) : undefined;
  const finalArgs = url ? [...args, `--dbname=${redactUrl(url)}`] : args;
  return new Promise((resolve) => {
    const child = spawn(tool, finalArgs, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: toolEnvironment(password ? { PGPASSWORD: password } : {}),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.once('error', (err) => resolve({ status: -1, stdout, stderr: `${tool}: ${err.message}` }));
    child.once('close', (status) => resolve({ status: status ?? -1, stdout, stderr }));
  });
}

/** The tool's version line, or a clear error when it is missing. */
export async function toolVersion(tool: string): Promise<string> {
  const r = await runTool(tool, ['--version']);
  if (r.status !== 0) {
    throw new BackupError(
      `${tool} is not available (${r.stderr.trim() || 'not found'}): install the PostgreSQL client tools (apt-get install postgresql-client) or set LOCKWELL_PG_BIN`,
    );
  }
  return r.stdout.trim();
}
