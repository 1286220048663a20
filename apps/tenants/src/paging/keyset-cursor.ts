import { ErrorCode } from '@lockwell/contracts';
import { LockwellError } from '@lockwell/service-kit';
import { z } from 'zod';

/** Position after the last row of a page ordered by (created_at, id): opaque to clients (API.md "Lists"). */
export interface KeysetPosition {
  createdAt: Date;
  id: string;
}

const Encoded = z.tuple([z.iso.datetime(), z.uuid()]);

export function encodeCursor(pos: KeysetPosition): string {
  return Buffer.from(JSON.stringify([pos.createdAt.toISOString(), pos.id])).toString('base64url');
}

/** INVALID_CURSOR (400) for anything this service did not produce. */
export function decodeCursor(cursor: string): KeysetPosition {
  try {
    const [createdAt, id] = Encoded.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return { createdAt: new Date(createdAt), id };
  } catch {
    throw new LockwellError(ErrorCode.INVALID_CURSOR, 'The cursor is not valid');
  }
}

/** Splits a `limit + 1` fetch into the page and the cursor of the next one. */
export function pageFrom<R>(rows: R[], limit: number, position: (row: R) => KeysetPosition): { rows: R[]; next_cursor: string | null } {
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  return { rows: page, next_cursor: more ? encodeCursor(position(page[page.length - 1])) : null };
}

/** `%` and `_` typed by a user match themselves in an ILIKE pattern. */
export const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
