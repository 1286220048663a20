import { ErrorCode } from '@lockwell/contracts';
import { LockwellError } from '@lockwell/service-kit';

/** If-Match: `"3"`, `W/"3"`, `3` or `*`; a mismatch with the current version is 412. */
export function assertIfMatch(ifMatch: string | undefined, current: number): void {
  if (ifMatch === undefined || ifMatch.trim() === '*') return;
  const versions = ifMatch.split(',').map((t) =>
    t
      .trim()
      .replace(/^W\//, '')
      .replace(/^"(.*)"$/, '$1'),
  );
  if (!versions.includes(String(current)))
    throw new LockwellError(
      ErrorCode.PRECONDITION_FAILED,
      'The secret changed since you read it (If-Match does not match its version)',
    );
}
