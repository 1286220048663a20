// An exclusive lock between processes of the same user: a lock file created with O_EXCL. Refresh tokens rotate,
// and two `lockwell` processes refreshing with the same one would revoke the session (docs/api.md "Auth").
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';

const POLL_MS = 25;
const WAIT_MS = 15_000;
/** A lock older than this belongs to a process that died mid-refresh (a refresh takes well under a second). */
const STALE_MS = 30_000;

export async function withFileLock<T>(lockPath: string, fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  mkdirSync(path.dirname(lockPath), { recursive: true, mode: 0o700 });
  for (;;) {
    try {
      const fd = openSync(lockPath, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (isAbandoned(lockPath)) {
        rmSync(lockPath, { force: true });
        continue;
      }
      if (Date.now() > deadline)
        throw new Error(`another lockwell process holds ${lockPath}; delete it if none is running`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lockPath, { force: true });
  }
}

function isAbandoned(lockPath: string): boolean {
  try {
    if (Date.now() - statSync(lockPath).mtimeMs > STALE_MS) return true;
    const pid = Number(readFileSync(lockPath, 'utf8'));
    if (!Number.isInteger(pid) || pid <= 0) return false; // being written right now
    process.kill(pid, 0);
    return false;
  } catch (err) {
    // ESRCH: the holder is gone; ENOENT: released meanwhile (the next open decides).
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
