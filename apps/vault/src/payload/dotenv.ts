import { ErrorCode } from '@lockwell/contracts';
import { LockwellError } from '@lockwell/service-kit';

const LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*?)\s*$/;

// Errors name the line number only: the line itself may hold a secret.
function invalidLine(n: number): LockwellError {
  return new LockwellError(ErrorCode.VALIDATION_FAILED, 'The request is invalid', [
    { field: 'data.dotenv', issue: `line ${n} is not KEY=VALUE` },
  ]);
}

function unquote(raw: string, n: number): string {
  if (raw.startsWith('"')) {
    if (raw.length < 2 || !raw.endsWith('"')) throw invalidLine(n);
    return raw.slice(1, -1).replace(/\\([\\"nrt])/g, (_, c: string) => ({ n: '\n', r: '\r', t: '\t' })[c] ?? c);
  }
  if (raw.startsWith("'")) {
    if (raw.length < 2 || !raw.endsWith("'")) throw invalidLine(n);
    return raw.slice(1, -1);
  }
  // An unquoted value ends at an inline comment.
  return raw.replace(/\s+#.*$/, '');
}

/** Parses dotenv text (KEY=VALUE lines, `#` comments, optional `export`, single or double quotes) into pairs. */
export function parseDotenv(text: string): Record<string, string> {
  const pairs: Record<string, string> = {};
  text.split(/\r?\n/).forEach((line, i) => {
    if (/^\s*(#.*)?$/.test(line)) return;
    const m = LINE.exec(line);
    if (!m) throw invalidLine(i + 1);
    pairs[m[1]] = unquote(m[2], i + 1);
  });
  if (!Object.keys(pairs).length)
    throw new LockwellError(ErrorCode.VALIDATION_FAILED, 'The request is invalid', [
      { field: 'data.dotenv', issue: 'no KEY=VALUE line' },
    ]);
  return pairs;
}

/** Pairs as dotenv text that parseDotenv reads back to the same pairs. */
export function formatDotenv(pairs: Record<string, string>): string {
  return Object.entries(pairs)
    .map(([k, v]) =>
      /^[A-Za-z0-9_./:@+-]*$/.test(v)
        ? `${k}=${v}`
        : `${k}="${v.replace(/[\\"\n\r\t]/g, (c) => ({ '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c] ?? `\\${c}`)}"`,
    )
    .join('\n');
}
