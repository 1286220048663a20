import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A self-signed EC certificate and its key, made with the openssl CLI. */
export function selfSignedCertificate(days = 90): { certificate: string; privateKey: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vault-cert-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        path.join(dir, 'k.pem'),
        '-out',
        path.join(dir, 'c.pem'),
        '-days',
        String(days),
        '-subj',
        '/CN=vault-test',
      ],
      { stdio: 'ignore' },
    );
    return {
      certificate: readFileSync(path.join(dir, 'c.pem'), 'utf8'),
      privateKey: readFileSync(path.join(dir, 'k.pem'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
