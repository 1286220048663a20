import { NOTIFICATION_KINDS } from '@lockwell/contracts';
import { fill, parseTemplate, TemplateRenderer } from './template.renderer.js';

describe('TemplateRenderer', () => {
  const renderer = new TemplateRenderer({ LOCKWELL_PUBLIC_URL: 'https://lockwell.example.com' });

  it('has a template for every kind, each naming what to do next and the console', () => {
    for (const kind of NOTIFICATION_KINDS) {
      const m = renderer.render(kind, {
        tenant_name: 'Acme',
        service_name: 'db',
        secret_key_name: 'password',
        environment: 'production',
      });
      expect(m.subject.length).toBeGreaterThan(5);
      expect(m.text).toContain('What to do next');
      expect(m.text).toContain('https://lockwell.example.com/');
      expect(m.html).toContain('<p>');
    }
  });

  it('names the secret and the tenant, and escapes HTML', () => {
    const m = renderer.render('secret.expiring', {
      tenant_name: '<b>Acme</b>',
      service_name: 'db',
      secret_key_name: 'password',
      environment: 'production',
      days_left: 7,
      expires_at: '2027-01-08T00:00:00.000Z',
    });
    expect(m.subject).toBe('"db/password" (production) expires in 7 day(s)');
    expect(m.text).toContain('the tenant <b>Acme</b>');
    expect(m.text).toContain('2027-01-08 00:00 UTC');
    expect(m.html).toContain('&#60;b&#62;Acme&#60;/b&#62;');
    expect(m.html).not.toContain('<b>Acme');
  });

  it('parses "Subject:" + blank line + body, and fills unknown placeholders with -', () => {
    expect(parseTemplate('Subject: hi {{x}}\n\nbody\n')).toEqual({ subject: 'hi {{x}}', body: 'body' });
    expect(() => parseTemplate('no subject')).toThrow('a template starts with');
    expect(fill('{{a}} {{b}}', { a: 1 })).toBe('1 -');
  });
});
