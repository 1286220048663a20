import { ErrorCode } from '@lockwell/contracts';
import { LockwellError } from '@lockwell/service-kit';

/** Keyset position in a list ordered by (created_at desc, id desc); opaque to clients. */
export interface SecretCursor {
  createdAt: string;
  id: string;
}

export const encodeCursor = (c: SecretCursor): string => Buffer.from(JSON.stringify([c.createdAt, c.id])).toString('base64url');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function decodeCursor(text: string): SecretCursor {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown[];
    if (typeof createdAt === 'string' && !Number.isNaN(Date.parse(createdAt)) && typeof id === 'string' && UUID.test(id)) return { createdAt, id };
  } catch {
    // falls through to the error below
  }
  throw new LockwellError(ErrorCode.INVALID_CURSOR, 'The cursor is not valid');
}
