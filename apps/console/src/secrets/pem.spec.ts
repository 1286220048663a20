import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { certificateExpiry } from './pem';

function certificate(days: number, keyType: 'ec' | 'rsa' = 'ec'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'console-pem-'));
  try {
    const key = keyType === 'ec' ? ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'] : ['-newkey', 'rsa:2048'];
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        ...key,
        '-nodes',
        '-keyout',
        path.join(dir, 'k.pem'),
        '-out',
        path.join(dir, 'c.pem'),
        '-days',
        String(days),
        '-subj',
        '/CN=console-test',
      ],
      { stdio: 'ignore' },
    );
    return readFileSync(path.join(dir, 'c.pem'), 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('certificateExpiry', () => {
  it('reads notAfter as Node does, for UTCTime (before 2050) and GeneralizedTime (from 2050) and any key type', () => {
    for (const pem of [certificate(30), certificate(9000), certificate(400, 'rsa')]) {
      expect(certificateExpiry(pem)?.toISOString()).toBe(new X509Certificate(pem).validToDate.toISOString());
    }
  });

  it('takes the first certificate of a chain, with text around it', () => {
    const leaf = certificate(10);
    const other = certificate(500);
    expect(certificateExpiry(`subject=CN=x\n${leaf}\n${other}`)?.toISOString()).toBe(
      new X509Certificate(leaf).validToDate.toISOString(),
    );
  });

  it('answers null for anything that is not a readable certificate', () => {
    const pem = certificate(10);
    for (const text of [
      '',
      'hello',
      '-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----',
      pem.replace(/\n[A-Za-z0-9+/=]+\n/, '\nAAAA\n'),
      pem.replace('CERTIFICATE', 'PRIVATE KEY'),
    ]) {
      expect(certificateExpiry(text)).toBeNull();
    }
  });
});
