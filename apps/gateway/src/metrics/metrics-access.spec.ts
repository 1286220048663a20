import { loadConfig } from '@lockwell/service-kit';
import { configSchema } from '../config.js';
import { metricsAccess } from './metrics.controller.js';

describe('metrics access', () => {
  const token = 'scrape-token-0123456789';

  it('is open in a local run without a token', () => {
    expect(metricsAccess({ NODE_ENV: 'development', LOCKWELL_METRICS_TOKEN: undefined }, undefined)).toBe('allowed');
  });

  it('treats a gateway started without NODE_ENV as production: no open metrics', () => {
    const config = loadConfig(configSchema, {
      LOCKWELL_NATS_SEED_FILE: '/run/seed',
      LOCKWELL_BUS_KEYS_FILE: '/run/keys',
    });
    expect(config.NODE_ENV).toBe('production');
    expect(metricsAccess(config, undefined)).toBe('hidden');
  });

  it('does not exist in production without LOCKWELL_METRICS_TOKEN', () => {
    expect(metricsAccess({ NODE_ENV: 'production', LOCKWELL_METRICS_TOKEN: undefined }, undefined)).toBe('hidden');
    expect(metricsAccess({ NODE_ENV: 'production', LOCKWELL_METRICS_TOKEN: undefined }, `Bearer ${token}`)).toBe(
      'hidden',
    );
  });

  it('requires the configured bearer token when one is set, in any environment', () => {
    for (const NODE_ENV of ['production', 'development'] as const) {
      expect(metricsAccess({ NODE_ENV, LOCKWELL_METRICS_TOKEN: token }, `Bearer ${token}`)).toBe('allowed');
      expect(metricsAccess({ NODE_ENV, LOCKWELL_METRICS_TOKEN: token }, 'Bearer wrong-token-0123456789')).toBe(
        'denied',
      );
      expect(metricsAccess({ NODE_ENV, LOCKWELL_METRICS_TOKEN: token }, undefined)).toBe('denied');
    }
  });
});
