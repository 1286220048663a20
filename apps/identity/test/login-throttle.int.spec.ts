import { EntityManager } from '@mikro-orm/postgresql';
import type { NatsHandle } from '@lockwell/local-infra';
import { startTestNats } from '@lockwell/testing';
import { LoginThrottleService, type ThrottleSubject } from '../src/throttle/login-throttle.service.js';
import { startIdentity, type IdentityUnderTest } from './factories/identity.js';

// The throttle's rows under concurrency, against real PostgreSQL. A successful login deletes the account's row;
// an attempt arriving at that moment used to create the row, lose it to the delete before locking it, and fail
// with a 500 (found by `npm run bench`: 50 concurrent logins of one user answered hundreds of 500s).
describe('login throttle under concurrent attempts and successes (PW-4)', () => {
  let nats: NatsHandle;
  let identity: IdentityUnderTest;
  let throttle: LoginThrottleService;
  let em: EntityManager;

  beforeAll(async () => {
    nats = await startTestNats();
    // Limits far above the burst: every attempt must be counted, none refused.
    identity = await startIdentity({
      nats,
      env: { LOCKWELL_LOGIN_MAX_FAILURES_PER_ACCOUNT: '1000', LOCKWELL_LOGIN_MAX_FAILURES_PER_IP: '1000' },
    });
    throttle = identity.get(LoginThrottleService);
    em = identity.get(EntityManager);
  });
  afterAll(async () => {
    await identity?.stop();
    await nats?.stop();
  });

  it('never fails an attempt while other attempts on the same account succeed and clear it', async () => {
    const subject: ThrottleSubject = { account: 'busy@identity.test', ip: '192.0.2.7' };
    const attempt = async () => {
      const reservation = await throttle.reserve(em, subject);
      await em.fork().transactional((tx) => throttle.succeeded(tx, subject, reservation));
    };
    // Waves of 50 (as many as the bench's connections): enough to interleave, few enough for the pool to serve
    // within its acquire timeout on a loaded machine.
    const failures: string[] = [];
    for (let wave = 0; wave < 6; wave++) {
      const outcomes = await Promise.allSettled(Array.from({ length: 50 }, attempt));
      failures.push(...outcomes.flatMap((o) => (o.status === 'rejected' ? [String(o.reason)] : [])));
    }
    expect(failures).toEqual([]);
  });
});
