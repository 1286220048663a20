import { ErrorCode } from '@lockwell/contracts';
import { LockwellError } from '@lockwell/service-kit';
import { z } from 'zod';

const Cursor = z.object({ t: z.iso.datetime({ offset: true }), i: z.uuid() }).strict();

/** Opaque keyset cursor over (created_at, id). */
export function encodeUserCursor(createdAt: Date, id: string): string {
  return Buffer.from(JSON.stringify({ t: createdAt.toISOString(), i: id })).toString('base64url');
}

/** Decodes a cursor from `encodeUserCursor`; anything else is INVALID_CURSOR (400). */
export function decodeUserCursor(cursor: string): { createdAt: Date; id: string } {
  try {
    const parsed = Cursor.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return { createdAt: new Date(parsed.t), id: parsed.i };
  } catch {
    throw new LockwellError(ErrorCode.INVALID_CURSOR, 'The cursor is not valid');
  }
}
