import { ErrorCode } from '@lockwell/contracts';
import { z } from 'zod';
import { LockwellError } from '../errors/lockwell-error.js';

/** Where a keyset page ends, in a list ordered by (a timestamp, id): opaque to clients (docs/api.md "Lists"). */
export interface KeysetPosition {
  at: Date;
  id: string;
}

const Encoded = z.tuple([z.iso.datetime({ offset: true }), z.uuid()]);

export function encodeCursor(at: Date, id: string): string {
  return Buffer.from(JSON.stringify([at.toISOString(), id])).toString('base64url');
}

/** The position a cursor from `encodeCursor` names; anything else is INVALID_CURSOR (400). */
export function decodeCursor(cursor: string): KeysetPosition {
  try {
    const [at, id] = Encoded.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return { at: new Date(at), id };
  } catch {
    throw new LockwellError(ErrorCode.INVALID_CURSOR, 'The cursor is not valid');
  }
}

/** Splits a `limit + 1` fetch into the page and the cursor of the next one (null on the last page). */
export function pageFrom<R>(
  rows: R[],
  limit: number,
  position: (row: R) => KeysetPosition,
): { rows: R[]; next_cursor: string | null } {
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const last = page[page.length - 1];
  return { rows: page, next_cursor: more && last ? encodeCursor(position(last).at, position(last).id) : null };
}

/** An ILIKE pattern for a user's search text, in which `%`, `_` and `\` match themselves. */
export const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
