import type { NatsHandle } from '@lockwell/local-infra';
import type { Clock } from '@lockwell/service-kit';
import { startServiceUnderTest, type ServiceUnderTest } from '@lockwell/testing';
import { service } from '../../src/app.module.js';

/** The instant the vault tests' fake clocks start at. */
export const TEST_START = '2026-12-01T10:00:00.000Z';

export type VaultUnderTest = ServiceUnderTest;

/** The vault under the kit's harness, with its lifecycle job off: the tests run it by hand at a time they choose. */
export function startVault(opts: {
  nats: NatsHandle;
  clock: Clock;
  databaseUrl?: string;
  masterKey?: string;
  env?: Record<string, string>;
}): Promise<VaultUnderTest> {
  return startServiceUnderTest(service, {
    nats: opts.nats,
    clock: opts.clock,
    databaseUrl: opts.databaseUrl,
    env: {
      LOCKWELL_LIFECYCLE_INTERVAL_MS: '0',
      ...(opts.masterKey ? { LOCKWELL_MASTER_KEY: opts.masterKey } : {}),
      ...opts.env,
    },
  });
}
