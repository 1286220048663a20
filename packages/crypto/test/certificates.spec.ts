// @peculiar/x509 resolves tsyringe, which insists on a Reflect metadata polyfill being loaded first.
import 'reflect-metadata';
import { createPrivateKey, webcrypto } from 'node:crypto';
type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;
import * as x509 from '@peculiar/x509';
import { assertPrivateKeyMatches, CertificateError, parseCertificatePem } from '../src/index.js';

x509.cryptoProvider.set(globalThis.crypto);

const EC_ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
const NOT_BEFORE = new Date('2025-01-01T00:00:00Z');
const NOT_AFTER = new Date('2030-06-30T12:00:00Z');

async function toPkcs8Pem(key: CryptoKey): Promise<string> {
  return x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY');
}

async function selfSigned(alg: webcrypto.EcKeyGenParams | webcrypto.RsaHashedKeyGenParams, name: string) {
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '0a1b2c',
    name,
    notBefore: NOT_BEFORE,
    notAfter: NOT_AFTER,
    signingAlgorithm: alg,
    keys,
  });
  return { certPem: cert.toString('pem'), keyPem: await toPkcs8Pem(keys.privateKey), cert };
}

async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  await expect(promise).rejects.toBeInstanceOf(CertificateError);
  await expect(promise).rejects.toMatchObject({ code });
}

function expectSyncCode(fn: () => unknown, code: string): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(CertificateError);
  expect((caught as CertificateError).code).toBe(code);
}

describe('certificates', () => {
  let ec: Awaited<ReturnType<typeof selfSigned>>;
  let otherKeyPem: string;

  beforeAll(async () => {
    ec = await selfSigned(EC_ALG, 'CN=lockwell.test, O=Lockwell');
    const other = (await webcrypto.subtle.generateKey(EC_ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
    otherKeyPem = await toPkcs8Pem(other.privateKey);
  });

  it('parses subject, issuer, validity, serial and fingerprint', async () => {
    const info = parseCertificatePem(ec.certPem);
    expect(info.notBefore.toISOString()).toBe(NOT_BEFORE.toISOString());
    expect(info.notAfter.toISOString()).toBe(NOT_AFTER.toISOString());
    expect(info.subject).toContain('CN=lockwell.test');
    expect(info.subject).toContain('O=Lockwell');
    expect(info.issuer).toBe(info.subject);
    expect(info.serialNumber.toLowerCase()).toBe('0a1b2c');
    const expected = Buffer.from(await ec.cert.getThumbprint('SHA-256'))
      .toString('hex')
      .toUpperCase()
      .match(/../g)!
      .join(':');
    expect(info.fingerprintSha256).toBe(expected);
  });

  it('reads the leaf of a chain and tolerates surrounding text', () => {
    const other = parseCertificatePem(`subject=lockwell\n${ec.certPem}\n${ec.certPem}`);
    expect(other.notAfter.getTime()).toBe(NOT_AFTER.getTime());
  });

  it('rejects garbage as INVALID_CERTIFICATE', () => {
    expectSyncCode(() => parseCertificatePem('hello'), 'INVALID_CERTIFICATE');
    expectSyncCode(() => parseCertificatePem(''), 'INVALID_CERTIFICATE');
    expectSyncCode(
      () => parseCertificatePem('-----BEGIN CERTIFICATE-----\nZ2FyYmFnZQ==\n-----END CERTIFICATE-----\n'),
      'INVALID_CERTIFICATE',
    );
    expectSyncCode(() => parseCertificatePem(ec.keyPem), 'INVALID_CERTIFICATE');
  });

  it('accepts the matching PKCS#8 key and its SEC1 "EC PRIVATE KEY" form', async () => {
    await expect(assertPrivateKeyMatches(ec.certPem, ec.keyPem)).resolves.toBeUndefined();
    const sec1 = createPrivateKey(ec.keyPem).export({ type: 'sec1', format: 'pem' }).toString();
    expect(sec1).toContain('BEGIN EC PRIVATE KEY');
    await expect(assertPrivateKeyMatches(ec.certPem, sec1)).resolves.toBeUndefined();
  });

  it('accepts a matching PKCS#1 "RSA PRIVATE KEY"', async () => {
    const rsa = await selfSigned(
      { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
      'CN=rsa.lockwell.test',
    );
    const pkcs1 = createPrivateKey(rsa.keyPem).export({ type: 'pkcs1', format: 'pem' }).toString();
    expect(pkcs1).toContain('BEGIN RSA PRIVATE KEY');
    await expect(assertPrivateKeyMatches(rsa.certPem, pkcs1)).resolves.toBeUndefined();
    await expectCode(assertPrivateKeyMatches(rsa.certPem, ec.keyPem), 'KEY_MISMATCH');
  });

  it('rejects a key from another pair as KEY_MISMATCH', async () => {
    await expectCode(assertPrivateKeyMatches(ec.certPem, otherKeyPem), 'KEY_MISMATCH');
  });

  it('rejects garbage keys as INVALID_PRIVATE_KEY without echoing them', async () => {
    const garbage = '-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n';
    await expectCode(assertPrivateKeyMatches(ec.certPem, garbage), 'INVALID_PRIVATE_KEY');
    await expectCode(assertPrivateKeyMatches(ec.certPem, 'not a key'), 'INVALID_PRIVATE_KEY');
    await expectCode(assertPrivateKeyMatches(ec.certPem, ec.certPem), 'INVALID_PRIVATE_KEY');
    await expect(assertPrivateKeyMatches(ec.certPem, garbage)).rejects.not.toHaveProperty(
      'message',
      expect.stringContaining('bm90IGEga2V5'),
    );
  });

  it('rejects an unparseable certificate before looking at the key', async () => {
    await expectCode(assertPrivateKeyMatches('nope', ec.keyPem), 'INVALID_CERTIFICATE');
  });
});
