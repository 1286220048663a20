import { ErrorCode } from '@lockwell/contracts';
import { LockwellError } from './lockwell-error.js';

type Node = { value: unknown; key: string | null; parent: Node | null };

function fieldOf(node: Node): string | undefined {
  const keys: string[] = [];
  for (let at: Node | null = node; at; at = at.parent) if (at.key !== null) keys.unshift(at.key);
  return keys.join('.') || undefined;
}

/**
 * Refuses U+0000 anywhere in a payload (values and keys) with VALIDATION_FAILED naming the field, never the
 * value. PostgreSQL text and jsonb cannot hold it, so it would otherwise surface as a driver error (a 500).
 * Iterative, because a payload may nest deeper than the call stack.
 */
export function assertNoNul<T>(payload: T): T {
  const stack: Node[] = [{ value: payload, key: null, parent: null }];
  while (stack.length) {
    const node = stack.pop()!;
    if (typeof node.value === 'string') {
      if (node.value.includes('\u0000')) {
        throw new LockwellError(ErrorCode.VALIDATION_FAILED, 'The request is invalid', [
          { field: fieldOf(node), issue: 'must not contain the NUL character' },
        ]);
      }
    } else if (node.value && typeof node.value === 'object') {
      for (const [key, value] of Object.entries(node.value))
        stack.push({ value: key.includes('\u0000') ? '\u0000' : value, key, parent: node });
    }
  }
  return payload;
}
