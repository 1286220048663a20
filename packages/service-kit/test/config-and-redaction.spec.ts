import { ConfigError, loadConfig, redactDeep, serviceConfigSchema } from '../src/index.js';

describe('loadConfig', () => {
  it('names the invalid variables and never echoes their values', () => {
    const secretish = 'postgres-password-NOT-A-URL';
    let error: unknown;
    try {
      loadConfig(serviceConfigSchema, { DATABASE_URL: secretish, LOCKWELL_MASTER_KEY: 'k', RPC_TIMEOUT_MS: 'soon' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('DATABASE_URL');
    expect(message).toContain('RPC_TIMEOUT_MS');
    expect(message).not.toContain(secretish);
  });

  it('requires a master key (ENC-8)', () => {
    expect(() => loadConfig(serviceConfigSchema, { DATABASE_URL: 'postgresql://x@127.0.0.1/db' })).toThrow(/LOCKWELL_MASTER_KEY/);
  });

  it('refuses to run production without an explicit internal key (AZ-5)', () => {
    const env = { NODE_ENV: 'production', DATABASE_URL: 'postgresql://x@127.0.0.1/db', LOCKWELL_MASTER_KEY: 'k' };
    expect(() => loadConfig(serviceConfigSchema, env)).toThrow(/LOCKWELL_INTERNAL_KEY/);
    expect(() => loadConfig(serviceConfigSchema, { ...env, LOCKWELL_INTERNAL_KEY: 'x'.repeat(32) })).not.toThrow();
  });

  it('applies defaults and freezes the result', () => {
    const config = loadConfig(serviceConfigSchema, { DATABASE_URL: 'postgresql://x@127.0.0.1/db', LOCKWELL_MASTER_KEY: 'k' });
    expect(config.NATS_URL).toBe('nats://127.0.0.1:4222');
    expect(Object.isFrozen(config)).toBe(true);
  });
});

describe('redactDeep', () => {
  it('redacts secret-bearing keys at any depth and keeps the rest', () => {
    const out = redactDeep({ user: 'ann', password: 'p', nested: { secret_value: 's', refresh_token: 't', list: [{ authorization: 'Bearer x' }] }, keep: 1 });
    expect(out).toEqual({ user: 'ann', password: '[REDACTED]', nested: { secret_value: '[REDACTED]', refresh_token: '[REDACTED]', list: [{ authorization: '[REDACTED]' }] }, keep: 1 });
  });
});
