import 'reflect-metadata';
import type { INestMicroservice } from '@nestjs/common';
import { MikroORM, RequestContext } from '@mikro-orm/core';
import { createLogger, startService, type Clock } from '@lockwell/service-kit';
import { busEnv, startTestNats, testDatabaseUrl, testMasterKey, uniqueDatabaseName } from '@lockwell/testing';
import type { NatsHandle } from '@lockwell/local-infra';
import type { CallContext } from '@lockwell/contracts';
import { AppModule } from '../src/app.module.js';
import { configSchema } from '../src/config.js';
import { SessionService } from '../src/session/session.service.js';

// Absolute and idle refresh lifetimes (SES-7) against real PostgreSQL, with a clock the test moves.
describe('refresh-token lifetimes', () => {
  let nats: NatsHandle;
  let app: INestMicroservice;
  let sessions: SessionService;
  let orm: MikroORM;
  let now = new Date('2026-11-25T12:00:00Z').getTime();
  const clock: Clock = { now: () => new Date(now) };
  const ctx: CallContext = { requestId: 'test', principal: null, ip: '127.0.0.1', userAgent: 'jest' };
  const admin = { email: 'admin@lifetimes.test', password: 'a-long-admin-passphrase' };
  const inContext = <T>(fn: () => Promise<T>) => RequestContext.create(orm.em, fn);

  beforeAll(async () => {
    nats = await startTestNats();
    const config = configSchema.parse({
      NODE_ENV: 'test',
      ...busEnv(nats, 'identity'),
      DATABASE_URL: testDatabaseUrl(uniqueDatabaseName('identity')),
      LOCKWELL_MASTER_KEY: testMasterKey(),
      LOG_LEVEL: 'silent',
      LOCKWELL_ADMIN_EMAIL: admin.email,
      LOCKWELL_ADMIN_PASSWORD: admin.password,
      LOCKWELL_REFRESH_IDLE_TTL_SECONDS: '600',
      LOCKWELL_REFRESH_ABSOLUTE_TTL_SECONDS: '1500',
    });
    const logger = createLogger('identity', 'silent');
    app = await startService({ name: 'identity', config, logger, module: AppModule.register({ config, logger, clock }) });
    sessions = app.get(SessionService);
    orm = app.get(MikroORM);
  });
  afterAll(async () => {
    await app?.close();
    await nats?.stop();
  });

  const loginPair = () => inContext(() => sessions.login(ctx, admin));
  const refresh = (token: string) => inContext(() => sessions.refresh(ctx, token));

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
