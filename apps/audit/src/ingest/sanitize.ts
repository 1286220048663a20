// AUD-3, second line of defence: services put metadata only in `detail`, and the record keeps no value under a
// name that suggests a secret, password, token or a hash of one, whatever a service sends. Numbers and booleans
// stay (counts such as `revoked_api_tokens`, flags such as `password_rehashed` carry nothing secret).
const SENSITIVE_KEY =
  /pass(word|phrase)?|secret|token|authorization|cookie|credential|private_?key|master_?key|^data_?key|^dek$|^value$|hash|digest|signature|seed|ciphertext|plaintext/i;
// Identifiers, names, counts and times of such things are metadata (`token_id`, `secret_key_name`).
const METADATA_KEY = /(_id|_ids|_name|_count|_at)$/i;
const MAX_DEPTH = 8;

export const REDACTED = '[REDACTED]';

/**
 * PostgreSQL cannot store U+0000 in text or jsonb; it becomes U+FFFD so that such an event is still recorded
 * (instead of failing forever). Every other control character is kept as it is, inside its field (AUD-5).
 */
export function storableText<T extends string | null>(s: T): T {
  return (typeof s === 'string' ? s.replaceAll('\u0000', '\uFFFD') : s) as T;
}

/** A deep copy of `detail` in which every sensitive-looking key that holds more than a number or a flag says REDACTED (and no string holds U+0000). */
export function sanitizeDetail(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return storableText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_DEPTH) return '[TRUNCATED]';
  if (Array.isArray(value)) return value.map((v) => sanitizeDetail(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const k = storableText(key);
    const harmless = typeof v === 'number' || typeof v === 'boolean' || v === null;
    out[k] = SENSITIVE_KEY.test(k) && !METADATA_KEY.test(k) && !harmless ? REDACTED : sanitizeDetail(v, depth + 1);
  }
  return out;
}
