import { ConfigError, loadConfig, redactDeep, serviceConfigSchema } from '../src/index.js';

// Placeholders: the schema only checks presence; loadBusCredentials (bus-credentials.spec.ts) checks the keys.
const BUS = { LOCKWELL_NATS_SEED: 'seed', LOCKWELL_BUS_KEYS: 'keys' };

describe('loadConfig', () => {
  it('names the invalid variables and never echoes their values', () => {
    const secretish = 'postgres-password-NOT-A-URL';
    let error: unknown;
    try {
      loadConfig(serviceConfigSchema, {
        ...BUS,
        DATABASE_URL: secretish,
        LOCKWELL_MASTER_KEY: 'k',
        RPC_TIMEOUT_MS: 'soon',
      });
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
    expect(() => loadConfig(serviceConfigSchema, { ...BUS, DATABASE_URL: 'postgresql://x@127.0.0.1/db' })).toThrow(
      /LOCKWELL_MASTER_KEY/,
    );
  });

  it('requires a bus credential and the keyring: there is no built-in key (API-6, AZ-5)', () => {
    const env = { DATABASE_URL: 'postgresql://x@127.0.0.1/db', LOCKWELL_MASTER_KEY: 'k' };
    expect(() => loadConfig(serviceConfigSchema, env)).toThrow(/LOCKWELL_NATS_SEED[\s\S]*LOCKWELL_BUS_KEYS/);
    expect(() =>
      loadConfig(serviceConfigSchema, {
        ...env,
        LOCKWELL_NATS_SEED_FILE: '/run/seed',
        LOCKWELL_BUS_KEYS_FILE: '/run/keys',
      }),
    ).not.toThrow();
  });

  it('runs as production when NODE_ENV is unset, and production demands TLS to a nats-server off loopback', () => {
    const env = { ...BUS, DATABASE_URL: 'postgresql://x@127.0.0.1/db', LOCKWELL_MASTER_KEY: 'k' };
    expect(loadConfig(serviceConfigSchema, env).NODE_ENV).toBe('production');
    expect(() => loadConfig(serviceConfigSchema, { ...env, NATS_URL: 'nats://nats.internal:4222' })).toThrow(
      /NATS_URL: production needs TLS/,
    );
    expect(() => loadConfig(serviceConfigSchema, { ...env, NATS_URL: 'tls://nats.internal:4222' })).not.toThrow();
    expect(() =>
      loadConfig(serviceConfigSchema, {
        ...env,
        NATS_URL: 'nats://nats.internal:4222',
        LOCKWELL_NATS_TLS_CA_FILE: '/run/ca.pem',
      }),
    ).not.toThrow();
    expect(() => loadConfig(serviceConfigSchema, { ...env, NATS_URL: 'nats://127.0.0.1:4222' })).not.toThrow();
    expect(() =>
      loadConfig(serviceConfigSchema, { ...env, NODE_ENV: 'development', NATS_URL: 'nats://nats.internal:4222' }),
    ).not.toThrow();
  });

  it('applies defaults, treats an empty variable as unset, and freezes the result', () => {
    const config = loadConfig(serviceConfigSchema, {
      ...BUS,
      DATABASE_URL: 'postgresql://x@127.0.0.1/db',
      LOCKWELL_MASTER_KEY: 'k',
      NATS_URL: '',
      LOG_LEVEL: '',
    });
    expect(config.NATS_URL).toBe('nats://127.0.0.1:4222');
    expect(config.LOG_LEVEL).toBe('info');
    expect(Object.isFrozen(config)).toBe(true);
  });
});

describe('redactDeep', () => {
  it('redacts secret-bearing keys at any depth and keeps the rest', () => {
    const out = redactDeep({
      user: 'ann',
      password: 'p',
      nested: { secret_value: 's', refresh_token: 't', list: [{ authorization: 'Bearer x' }] },
      keep: 1,
    });
    expect(out).toEqual({
      user: 'ann',
      password: '[REDACTED]',
      nested: { secret_value: '[REDACTED]', refresh_token: '[REDACTED]', list: [{ authorization: '[REDACTED]' }] },
      keep: 1,
    });
  });
});
