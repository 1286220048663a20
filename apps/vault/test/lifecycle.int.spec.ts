import type { NatsHandle } from '@lockwell/local-infra';
import {
  InactiveSecretRead,
  SecretBecameInactive,
  SecretExpiring,
  VaultSecretCreate,
  VaultSecretDelete,
  VaultSecretGet,
  VaultSecretList,
} from '@lockwell/contracts';
import { asUser, connectAs, eventually, FakeClock, startTestNats } from '@lockwell/testing';
import type { NatsConnection } from '@nats-io/transport-node';
import { randomUUID } from 'node:crypto';
import { LifecycleJob } from '../src/lifecycle/lifecycle.job.js';
import { TEST_START, startVault, type VaultUnderTest } from './factories/vault.js';

describe('vault lifecycle with a fake clock', () => {
  let nats: NatsHandle;
  let vault: VaultUnderTest;
  let job: LifecycleJob;
  let observer: NatsConnection;
  const clock = new FakeClock(TEST_START);
  const events: { subject: string; secret_id: string }[] = [];

  beforeAll(async () => {
    nats = await startTestNats();
    vault = await startVault({ nats, clock });
    job = vault.app.get(LifecycleJob);
    observer = await connectAs(nats, 'observer');
    observer.subscribe('evt.vault.>', {
      callback: (_e, m) =>
        void events.push({
          subject: m.subject,
          secret_id: (m.json() as { data: { secret_id: string } }).data.secret_id,
        }),
    });
  });
  afterAll(async () => {
    await observer?.close();
    await vault?.stop();
    await nats?.stop();
  });

  const saw = (subject: string, id: string) =>
    eventually(async () => events.some((e) => e.subject === subject && e.secret_id === id));

  it('marks an unread secret inactive after 30 days; a read reactivates it and raises an alert', async () => {
    const me = asUser(randomUUID());
    const s = await vault.rpc.request(
      VaultSecretCreate,
      { scope: 'user', service_name: 'idle', secret_key_name: 'k', secret_value: 'zzz' },
      me,
    );
    clock.advanceDays(29);
    expect((await job.runOnce(clock.now())).inactive).toBe(0);
    clock.advanceDays(2);
    expect((await job.runOnce(clock.now())).inactive).toBe(1);
    expect((await job.runOnce(clock.now())).inactive).toBe(0);
    await saw(SecretBecameInactive.subject, s.id);
    expect(
      (await vault.rpc.request(VaultSecretList, { scope: 'user', limit: 10, status: 'inactive' }, me)).items.map(
        (i) => i.id,
      ),
    ).toEqual([s.id]);
    const read = await vault.rpc.request(VaultSecretGet, { scope: 'user', secret_id: s.id }, me);
    expect(read).toMatchObject({ status: 'active', secret_value: 'zzz' });
    await saw(InactiveSecretRead.subject, s.id);
  });

  it('destroys a scheduled secret when its deletion date comes, and a read before that cancels the deletion', async () => {
    const me = asUser(randomUUID());
    const doomed = await vault.rpc.request(
      VaultSecretCreate,
      { scope: 'user', service_name: 'del', secret_key_name: 'a', secret_value: 'a' },
      me,
    );
    const saved = await vault.rpc.request(
      VaultSecretCreate,
      { scope: 'user', service_name: 'del', secret_key_name: 'b', secret_value: 'b' },
      me,
    );
    await vault.rpc.request(VaultSecretDelete, { scope: 'user', secret_id: doomed.id, mode: 'schedule' }, me);
    await vault.rpc.request(VaultSecretDelete, { scope: 'user', secret_id: saved.id, mode: 'schedule' }, me);
    clock.advanceDays(10);
    expect(await vault.rpc.request(VaultSecretGet, { scope: 'user', secret_id: saved.id }, me)).toMatchObject({
      status: 'active',
      deletion_scheduled_at: null,
    });
    clock.advanceDays(21);
    const run = await job.runOnce(clock.now());
    expect(run.deleted).toBe(1);
    expect(
      await vault.rpc.request(VaultSecretGet, { scope: 'user', secret_id: doomed.id }, me).catch((e) => e.code),
    ).toBe('SECRET_NOT_FOUND');
    expect((await vault.rpc.request(VaultSecretGet, { scope: 'user', secret_id: saved.id }, me)).secret_value).toBe(
      'b',
    );
    expect(await vault.em().execute(`select 1 from secret_versions where secret_id = ?`, [doomed.id])).toHaveLength(0);
  });

  it('raises one expiring event per expiry date', async () => {
    const me = asUser(randomUUID());
    const s = await vault.rpc.request(
      VaultSecretCreate,
      {
        scope: 'user',
        service_name: 'exp',
        secret_key_name: 'k',
        secret_value: 'v',
        expires_at: new Date(clock.now().getTime() + 10 * 86_400_000).toISOString(),
      },
      me,
    );
    expect((await job.runOnce(clock.now())).expiring).toBe(0);
    clock.advanceDays(4);
    expect((await job.runOnce(clock.now())).expiring).toBe(1);
    expect((await job.runOnce(clock.now())).expiring).toBe(0);
    await saw(SecretExpiring.subject, s.id);
  });

  it('never transitions a row twice when replicas run the job at the same time', async () => {
    const me = asUser(randomUUID());
    for (let i = 0; i < 20; i++)
      await vault.rpc.request(
        VaultSecretCreate,
        { scope: 'user', service_name: 'race', secret_key_name: `k${i}`, secret_value: 'v' },
        me,
      );
    clock.advanceDays(31);
    const [{ due }] = await vault
      .em()
      .execute<{ due: string }[]>(`select count(*) as due from secrets where status = 'active'`);
    const runs = await Promise.all([job.runOnce(clock.now()), job.runOnce(clock.now()), job.runOnce(clock.now())]);
    expect(runs.reduce((n, r) => n + r.inactive, 0)).toBe(Number(due));
    const audits = await vault
      .em()
      .execute<{ n: string }[]>(`select count(*) as n from secrets where owner_id = ? and status = 'inactive'`, [
        me.principal!.userId,
      ]);
    expect(Number(audits[0].n)).toBe(20);
  });
});
