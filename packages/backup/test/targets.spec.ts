import { SERVICE_NAMES } from '@lockwell/contracts';
import { redactUrl, resolveTargets, urlPassword, withDatabase } from '../src/index.js';

describe('resolveTargets', () => {
  it("defaults to lockwell_<service> on npm start's PostgreSQL", () => {
    const targets = resolveTargets({ defaultPort: 54329 });
    expect(targets.map((t) => t.service)).toEqual([...SERVICE_NAMES]);
    expect(targets.find((t) => t.service === 'vault')).toEqual({
      service: 'vault',
      database: 'lockwell_vault',
      url: 'postgresql://postgres@127.0.0.1:54329/lockwell_vault',
    });
  });

  it('puts every database on --server, except those given one by one with --db', () => {
    const targets = resolveTargets({
      server: 'postgresql://ops:s3cret@db.internal:5432/postgres',
      databases: { audit: 'postgresql://auditor:x@audit-db:5433/audit_records' },
      defaultPort: 1,
    });
    expect(targets.find((t) => t.service === 'identity')).toMatchObject({
      database: 'lockwell_identity',
      url: 'postgresql://ops:s3cret@db.internal:5432/lockwell_identity',
    });
    expect(targets.find((t) => t.service === 'audit')).toMatchObject({
      database: 'audit_records',
      url: 'postgresql://auditor:x@audit-db:5433/audit_records',
    });
  });

  it('refuses an unknown service, a non-postgres URL and a URL without a database', () => {
    expect(() => resolveTargets({ databases: { billing: 'postgresql://h/x' }, defaultPort: 1 })).toThrow(
      /unknown service 'billing'/,
    );
    expect(() => resolveTargets({ server: 'mysql://h/x', defaultPort: 1 })).toThrow(/--server/);
    expect(() => resolveTargets({ databases: { vault: 'postgresql://h:5432/' }, defaultPort: 1 })).toThrow(
      /--db vault=/,
    );
  });
});

describe('URL helpers', () => {
  it('keeps passwords out of messages and arguments but hands them to the tools', () => {
    const url = 'postgresql://ops:p%40ss@db:5432/lockwell_vault';
    expect(redactUrl(url)).toBe('postgresql://ops@db:5432/lockwell_vault');
    expect(urlPassword(url)).toBe('p@ss');
    expect(withDatabase(url, 'postgres')).toBe('postgresql://ops:p%40ss@db:5432/postgres');
  });
});
