import type { NatsHandle } from '@lockwell/local-infra';
import type { Clock } from '@lockwell/service-kit';
import { anonymous, startTestNats } from '@lockwell/testing';
import { AuthService } from '../src/auth/auth.service.js';
import { startIdentity, TEST_ADMIN, type IdentityUnderTest } from './factories/identity.js';

// Absolute and idle refresh lifetimes (SES-7) against real PostgreSQL, with a clock the test moves.
describe('refresh-token lifetimes', () => {
  let nats: NatsHandle;
  let identity: IdentityUnderTest;
  let auth: AuthService;
  let now = new Date('2026-11-25T12:00:00Z').getTime();
  const clock: Clock = { now: () => new Date(now) };
  const ctx = anonymous();

  beforeAll(async () => {
    nats = await startTestNats();
    identity = await startIdentity({
      nats,
      clock,
      env: { LOCKWELL_REFRESH_IDLE_TTL_SECONDS: '600', LOCKWELL_REFRESH_ABSOLUTE_TTL_SECONDS: '1500' },
    });
    auth = identity.get(AuthService);
  });
  afterAll(async () => {
    await identity?.stop();
    await nats?.stop();
  });

  const loginPair = () => identity.inUnitOfWork(() => auth.login(ctx, TEST_ADMIN));
  const refresh = (token: string) => identity.inUnitOfWork(() => auth.refresh(ctx, token));

  it('refuses a refresh token unused for longer than the idle lifetime', async () => {
    const pair = await loginPair();
    now += 601_000;
    await expect(refresh(pair.refresh_token)).rejects.toMatchObject({ code: 'INVALID_REFRESH_TOKEN' });
  });

  it('refuses a refresh token from the very instant its idle lifetime ends, not a millisecond later', async () => {
    const early = await loginPair();
    now += 599_999;
    await expect(refresh(early.refresh_token)).resolves.toMatchObject({ token_type: 'Bearer' });
    const pair = await loginPair();
    now += 600_000;
    await expect(refresh(pair.refresh_token)).rejects.toMatchObject({ code: 'INVALID_REFRESH_TOKEN' });
  });

  it('slides the idle window with each refresh, but never past the absolute lifetime', async () => {
    let pair = await loginPair();
    for (let i = 0; i < 2; i++) {
      now += 500_000; // within the idle window each time
      pair = await refresh(pair.refresh_token);
    }
    now += 500_001; // 1500 s after login: the absolute end, although the idle window would allow more
    await expect(refresh(pair.refresh_token)).rejects.toMatchObject({ code: 'INVALID_REFRESH_TOKEN' });
  });

  it('rotates within the lifetimes', async () => {
    const pair = await loginPair();
    now += 1000;
    const next = await refresh(pair.refresh_token);
    expect(next.refresh_token).not.toBe(pair.refresh_token);
  });
});
