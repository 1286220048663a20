// Typed errors so callers can branch on `code` without parsing messages. Messages are fixed
// strings chosen here: they must never carry key material, plaintext or configuration values.

/** Base class of every error this package throws on purpose; `code` is stable, `message` is not. */
export class CryptoError extends Error {
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Authentication failed: tampered, truncated, wrong key or wrong AAD are deliberately indistinguishable. */
export class DecryptError extends CryptoError {
  constructor(message = 'decryption failed: ciphertext is corrupt or was sealed under a different key or context') {
    super('DECRYPT_FAILED', message);
  }
}

/** The ciphertext's version byte names a format this build cannot read. */
export class UnknownFormatError extends CryptoError {
  constructor(version: number) {
    super('UNKNOWN_CIPHERTEXT_FORMAT', `unknown ciphertext format version ${version}`);
  }
}

/** A ciphertext or caller asked for a key id the ring does not hold (e.g. a retired master key). */
export class KeyNotFoundError extends CryptoError {
  constructor(keyId: number) {
    super('KEY_NOT_FOUND', `no key with id ${keyId} is configured`);
  }
}

/** The master key setting is malformed; names the setting so operators know what to fix, never its value. */
export class InvalidMasterKeyError extends CryptoError {
  constructor(settingLabel: string, reason: string) {
    super('INVALID_MASTER_KEY', `${settingLabel} is not a valid master key: ${reason}`);
  }
}

export type CertificateErrorCode = 'INVALID_CERTIFICATE' | 'KEY_MISMATCH' | 'INVALID_PRIVATE_KEY';

/** A certificate secret failed validation; `code` says which check failed. */
export class CertificateError extends CryptoError {
  declare readonly code: CertificateErrorCode;

  constructor(code: CertificateErrorCode, message: string) {
    super(code, message);
  }
}
