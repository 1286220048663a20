// A private certificate authority and a nats-server certificate for the bus's TLS (API-6), for installations
// that do not bring their own (docker-compose does this at first start; a test proves the TLS path).
// @peculiar/x509 needs a Reflect metadata polyfill loaded before it (it uses tsyringe).
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as x509 from '@peculiar/x509';
import { writePrivateFile } from './bus.js';

x509.cryptoProvider.set(webcrypto);

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
const YEAR_MS = 365 * 86_400_000;
const serial = () => Buffer.from(webcrypto.getRandomValues(new Uint8Array(12))).toString('hex');

async function pkcs8Pem(key) {
  return x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY');
}

/**
 * Writes `ca.pem`, `server-cert.pem` and `server-key.pem` (0600) to `dir`: a CA valid 10 years and a server
 * certificate for `hosts` (DNS names and IP addresses) valid 2 years. Returns the three paths.
 */
export async function writeBusTls(dir, hosts) {
  const now = Date.now();
  const caKeys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: 'CN=Lockwell bus CA',
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + 10 * YEAR_MS),
    signingAlgorithm: ALG,
    keys: caKeys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    ],
  });
  const serverKeys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
  const names = hosts.map((h) => (/^[0-9.]+$|:/.test(h) ? { type: 'ip', value: h } : { type: 'dns', value: h }));
  const server = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${hosts[0]}`,
    issuer: ca.subject,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + 2 * YEAR_MS),
    signingAlgorithm: ALG,
    publicKey: serverKeys.publicKey,
    signingKey: caKeys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(names),
    ],
  });
  mkdirSync(dir, { recursive: true });
  const files = {
    caFile: path.join(dir, 'ca.pem'),
    certFile: path.join(dir, 'server-cert.pem'),
    keyFile: path.join(dir, 'server-key.pem'),
  };
  writeFileSync(files.caFile, ca.toString('pem'), { mode: 0o644 });
  writeFileSync(files.certFile, server.toString('pem'), { mode: 0o644 });
  writePrivateFile(files.keyFile, await pkcs8Pem(serverKeys.privateKey));
  return files;
}
