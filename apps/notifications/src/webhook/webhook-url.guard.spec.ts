import { isInternalAddress, WebhookUrlGuard } from './webhook-url.guard.js';

const guard = (env: 'production' | 'development', addresses: Record<string, string[]> = {}) => {
  const g = new WebhookUrlGuard({ NODE_ENV: env });
  g.resolve = async (host) => addresses[host] ?? [];
  return g;
};
const refused = (p: Promise<void>) =>
  p.then(
    () => null,
    (e: { code: string; details: { issue: string }[] }) => e,
  );

describe('WebhookUrlGuard (SSRF)', () => {
  it('knows internal addresses: private, loopback, link-local (cloud metadata), unique-local, mapped', () => {
    for (const a of [
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '127.0.0.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      'fe80::1',
      'fd00::1',
      '::ffff:127.0.0.1',
    ])
      expect(isInternalAddress(a)).toBe(true);
    for (const a of ['93.184.216.34', '2606:2800:220:1::1', '8.8.8.8']) expect(isInternalAddress(a)).toBe(false);
  });

  it('in production accepts only https to public addresses, whatever the name resolves to', async () => {
    const g = guard('production', {
      'hooks.example.com': ['93.184.216.34'],
      'sneaky.example.com': ['93.184.216.34', '10.0.0.5'],
      'meta.example.com': ['169.254.169.254'],
    });
    await expect(g.check('https://hooks.example.com/x')).resolves.toBeUndefined();
    for (const url of [
      'http://hooks.example.com/x',
      'https://sneaky.example.com/x',
      'https://meta.example.com/',
      'https://127.0.0.1/x',
      'https://[::1]/x',
      'https://10.0.0.1/',
      'https://[::ffff:127.0.0.1]/',
      'https://[::ffff:a9fe:a9fe]/',
      'https://unresolvable.example.com/',
      'http://localhost:8080/',
    ]) {
      expect(await refused(g.check(url))).toMatchObject({ code: 'VALIDATION_FAILED' });
    }
  });

  it('in local configuration also accepts http:// on loopback, but not http:// elsewhere', async () => {
    const g = guard('development');
    await expect(g.check('http://127.0.0.1:9999/hook')).resolves.toBeUndefined();
    await expect(g.check('http://localhost:9999/hook')).resolves.toBeUndefined();
    await expect(g.check('https://hooks.example.com/')).resolves.toBeUndefined();
    expect(await refused(g.check('http://hooks.example.com/'))).toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('refuses credentials in the URL and never echoes the URL in the error', async () => {
    const e = await refused(guard('development').check('https://user:s3cr3t@hooks.example.com/'));
    expect(JSON.stringify(e)).not.toContain('s3cr3t');
    expect(e).toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
