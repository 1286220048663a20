// Keys whose values must never reach a log line, whatever object they sit in (AUD-3). Matching is by key
// name because values are opaque: a secret value looks like any other string.
const SENSITIVE_KEY =
  /pass(word)?|secret|token|authorization|cookie|credential|private_?key|master_?key|^data_?key|^dek$|^value$|^pairs$|^dotenv$|^certificate$|seed/i;
const MAX_DEPTH = 8;

/** Returns a deep copy of `value` in which every sensitive-looking key holds '[REDACTED]'. */
export function redactDeep(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_DEPTH) return '[TRUNCATED]';
  if (value instanceof Error) return { type: value.name, message: value.message };
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SENSITIVE_KEY.test(k) ? '[REDACTED]' : redactDeep(v, depth + 1);
  return out;
}
