import { ErrorCode, SECRET_DATA_SCHEMAS, type SecretType } from '@lockwell/contracts';
import { assertPrivateKeyMatches, CertificateError, parseCertificatePem } from '@lockwell/crypto';
import { LockwellError, parseOrThrow } from '@lockwell/service-kit';
import { formatDotenv, parseDotenv } from './dotenv.js';

/** A validated value ready to encrypt: the whole typed payload is the plaintext. */
export interface SecretPayload {
  plaintext: string;
  secretValue: string;
  data?: Record<string, unknown>;
  /** Certificates carry their own expiry (notAfter). */
  expiresAt?: Date;
}

const invalid = (field: string, issue: string) =>
  new LockwellError(ErrorCode.VALIDATION_FAILED, 'The request is invalid', [{ field, issue }]);

/** The primary value of a typed payload (docs/api.md: what `secret_value` holds for each type). */
function primaryValue(type: Exclude<SecretType, 'generic'>, data: Record<string, unknown>): string {
  switch (type) {
    case 'api_key':
      return data.value as string;
    case 'bearer_token':
      return data.header_value as string;
    case 'client_credentials':
      return data.client_secret as string;
    case 'certificate':
      return data.certificate as string;
    case 'key_value':
      return formatDotenv(data.pairs as Record<string, string>);
  }
}

async function validateCertificate(data: { certificate: string; private_key?: string }): Promise<Date> {
  try {
    const info = parseCertificatePem(data.certificate);
    if (data.private_key !== undefined) await assertPrivateKeyMatches(data.certificate, data.private_key);
    return new Date(info.notAfter.getTime());
  } catch (err) {
    if (!(err instanceof CertificateError)) throw err;
    if (err.code === 'INVALID_CERTIFICATE') throw invalid('data.certificate', 'not a readable PEM X.509 certificate');
    if (err.code === 'INVALID_PRIVATE_KEY')
      throw invalid('data.private_key', 'not a readable unencrypted PEM private key');
    throw invalid('data.private_key', 'the private key does not belong to the certificate');
  }
}

/**
 * Validates what a client sent for a secret of `type`: generic secrets take `secret_value` alone, typed ones
 * `data` alone (docs/api.md). Errors name fields, never values.
 */
export async function buildPayload(
  type: SecretType,
  input: { secret_value?: string; data?: Record<string, unknown> },
): Promise<SecretPayload> {
  if (type === 'generic') {
    if (input.data !== undefined) throw invalid('data', 'generic secrets take secret_value, not data');
    if (input.secret_value === undefined) throw invalid('secret_value', 'required');
    return { plaintext: JSON.stringify({ value: input.secret_value }), secretValue: input.secret_value };
  }
  if (input.secret_value !== undefined) throw invalid('secret_value', `a ${type} secret takes its value in data`);
  if (input.data === undefined) throw invalid('data', `required for a ${type} secret`);
  let data = parseOrThrow(SECRET_DATA_SCHEMAS[type], input.data, 'data') as Record<string, unknown>;
  let expiresAt: Date | undefined;
  if (type === 'certificate')
    expiresAt = await validateCertificate(data as { certificate: string; private_key?: string });
  if (type === 'key_value' && typeof data.dotenv === 'string') data = { pairs: parseDotenv(data.dotenv) };
  return { plaintext: JSON.stringify({ data }), secretValue: primaryValue(type, data), data, expiresAt };
}

/** The decrypted plaintext back as `secret_value` (+ `data`). */
export function readPayload(
  type: SecretType,
  plaintext: string,
): { secret_value: string; data?: Record<string, unknown> } {
  const parsed = JSON.parse(plaintext) as { value?: string; data?: Record<string, unknown> };
  if (type === 'generic') return { secret_value: parsed.value! };
  return { secret_value: primaryValue(type, parsed.data!), data: parsed.data };
}
