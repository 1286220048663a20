import { dueReminders, nearestThreshold } from './reminder-schedule.js';
import type { WatchedSecret } from '../secret-watch/watched-secret.js';

const DAY = 86_400_000;
const t0 = new Date('2027-01-01T00:00:00Z');
const at = (days: number) => new Date(t0.getTime() + days * DAY);
const settings = { expiryDays: [30, 7, 1], deletionDays: [15, 10, 1] };
const secret = (over: Partial<WatchedSecret> = {}): WatchedSecret => ({
  secret_id: '00000000-0000-4000-8000-000000000001',
  tenant_id: null,
  owner_id: '00000000-0000-4000-8000-000000000002',
  service_name: 'svc',
  secret_key_name: 'key',
  environment: 'production',
  type: 'generic',
  version: 3,
  status: 'active',
  expires_at: null,
  deletion_scheduled_at: null,
  rotation_interval_days: null,
  version_since: t0,
  last_event_at: t0,
  ...over,
});
const keys = (s: WatchedSecret, now: Date) => dueReminders(s, now, settings).map((n) => n.dedupeKey);

describe('nearestThreshold', () => {
  it('is the smallest lead time already reached, or null before the first', () => {
    expect(nearestThreshold([30, 7, 1], at(40), at(9))).toBeNull();
    expect(nearestThreshold([30, 7, 1], at(40), at(10))).toBe(30);
    expect(nearestThreshold([30, 7, 1], at(40), at(35))).toBe(7);
    expect(nearestThreshold([30, 7, 1], at(40), at(39.5))).toBe(1);
  });
});

describe('dueReminders', () => {
  it('keys expiry reminders by secret, version, expiry date and threshold, and expiry itself separately', () => {
    const s = secret({ expires_at: at(40) });
    expect(keys(s, at(9))).toEqual([]);
    expect(keys(s, at(10))).toEqual([`secret.expiring:${s.secret_id}:v3:${at(40).toISOString()}:30d`]);
    expect(keys(s, at(33.5))).toEqual([`secret.expiring:${s.secret_id}:v3:${at(40).toISOString()}:7d`]);
    expect(keys(s, at(40))).toEqual([`secret.expired:${s.secret_id}:v3:${at(40).toISOString()}`]);
    expect(keys({ ...s, version: 4 }, at(10))[0]).toContain(':v4:');
  });

  it('says how many days are left, not the threshold, when it fires late', () => {
    const [n] = dueReminders(secret({ expires_at: at(5) }), t0, settings);
    expect(n!.data).toMatchObject({ days_left: 5, threshold_days: 7 });
  });

  it('reminds of rotation once the current version is older than the interval', () => {
    const s = secret({ rotation_interval_days: 90 });
    expect(keys(s, at(89))).toEqual([]);
    expect(keys(s, at(90))).toEqual([`secret.rotation_due:${s.secret_id}:v3:90d`]);
  });

  it('counts down 15, 10 and 1 days to a scheduled deletion, and nothing else for such a secret', () => {
    const s = secret({
      status: 'scheduled_for_deletion',
      deletion_scheduled_at: at(30),
      expires_at: at(31),
      rotation_interval_days: 1,
    });
    expect(keys(s, at(14))).toEqual([]);
    expect(keys(s, at(15))).toEqual([`secret.deletion_scheduled:${s.secret_id}:${at(30).toISOString()}:15d`]);
    expect(keys(s, at(21))).toEqual([`secret.deletion_scheduled:${s.secret_id}:${at(30).toISOString()}:10d`]);
    expect(keys(s, at(29))).toEqual([`secret.deletion_scheduled:${s.secret_id}:${at(30).toISOString()}:1d`]);
    expect(keys(s, at(30))).toEqual([]);
  });

  it("sends tenant reminders to the tenant's writers and personal ones to the owner, and nothing for a deleted secret", () => {
    const tenant = '00000000-0000-4000-8000-000000000009';
    expect(
      dueReminders(secret({ tenant_id: tenant, owner_id: null, expires_at: at(1) }), t0, settings)[0],
    ).toMatchObject({ audience: 'tenant_members', tenantId: tenant, userId: null });
    expect(dueReminders(secret({ expires_at: at(1) }), t0, settings)[0]).toMatchObject({
      audience: 'user',
      userId: '00000000-0000-4000-8000-000000000002',
    });
    expect(dueReminders(secret({ status: 'deleted', expires_at: at(1) }), t0, settings)).toEqual([]);
  });
});
