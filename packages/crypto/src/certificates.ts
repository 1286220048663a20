// Validation for the vault's typed 'certificate' secrets: parse the PEM for display and expiry
// alerts, and refuse a private key that does not belong to the certificate it is stored with.
// Uses node:crypto's X509Certificate: @peculiar/x509 pulls in tsyringe, which throws at import time
// unless a global Reflect polyfill was loaded first, and that would break every importer of this package.
import { createHash, createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { CertificateError } from './errors.js';

export interface CertificateInfo {
  subject: string;
  issuer: string;
  notBefore: Date;
  notAfter: Date;
  serialNumber: string;
  fingerprintSha256: string;
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;

// Only the first (leaf) certificate of a chain is described; the rest is carried along untouched.
function loadCertificate(pem: string): X509Certificate {
  const block = typeof pem === 'string' ? PEM_CERTIFICATE.exec(pem)?.[0] : undefined;
  if (!block) throw new CertificateError('INVALID_CERTIFICATE', 'not a PEM-encoded X.509 certificate');
  try {
    return new X509Certificate(block);
  } catch {
    throw new CertificateError('INVALID_CERTIFICATE', 'the PEM certificate could not be parsed');
  }
}

// Node prints one RDN per line; a single line reads better in UIs and logs.
function formatName(name: string): string {
  return name
    .split('\n')
    .filter((part) => part !== '')
    .join(', ');
}

/** Subject, issuer, validity, serial and SHA-256 fingerprint (colon-separated upper-case hex, as `openssl x509 -fingerprint` prints) of the first certificate in `pem`. */
export function parseCertificatePem(pem: string): CertificateInfo {
  const cert = loadCertificate(pem);
  return {
    subject: formatName(cert.subject),
    issuer: formatName(cert.issuer),
    notBefore: cert.validFromDate,
    notAfter: cert.validToDate,
    serialNumber: cert.serialNumber,
    fingerprintSha256: createHash('sha256')
      .update(cert.raw)
      .digest('hex')
      .toUpperCase()
      .replace(/(..)(?!$)/g, '$1:'),
  };
}

/** Resolves if `keyPem` (PKCS#8, PKCS#1 RSA or SEC1 EC) is the private key of `certPem`; otherwise throws CertificateError. */
export async function assertPrivateKeyMatches(certPem: string, keyPem: string): Promise<void> {
  const cert = loadCertificate(certPem);
  let privateKey: KeyObject;
  try {
    if (typeof keyPem !== 'string' || !keyPem.includes('PRIVATE KEY-----')) throw new Error('not a PEM private key');
    privateKey = createPrivateKey({ key: keyPem, format: 'pem' });
  } catch {
    throw new CertificateError('INVALID_PRIVATE_KEY', 'the private key is not a readable unencrypted PEM private key');
  }
  const fromKey = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  const fromCert = cert.publicKey.export({ type: 'spki', format: 'der' });
  if (!fromKey.equals(fromCert)) {
    throw new CertificateError('KEY_MISMATCH', 'the private key does not belong to the certificate');
  }
}
