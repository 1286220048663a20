import type { NatsHandle } from '@lockwell/local-infra';
import {
  IdentityAuthLogin,
  IdentityAuthLogout,
  IdentityAuthRefresh,
  IdentityPasswordChange,
  IdentityRoleCreate,
  IdentityRoleDelete,
  IdentityRoleGet,
  IdentityRoleUpdate,
  IdentitySessionRevokeAll,
  IdentityUserCreate,
  IdentityUserDelete,
  RefreshTokenReused,
  SessionsRevoked,
} from '@lockwell/contracts';
import {
  anonymous,
  asApiToken,
  asUser,
  auditRecordsWhere,
  eventually,
  readStream,
  startTestNats,
} from '@lockwell/testing';
import { decodeJwt } from 'jose';
import { randomUUID } from 'node:crypto';
import { startIdentity, tenantsFixtures, type IdentityUnderTest } from './factories/identity.js';

const code = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: { code: string }) => e.code,
  );

// Refresh-token rotation and reuse detection (SES-4, SES-5, SES-6) and role administration, against real
// PostgreSQL and NATS, with the audit records read back from LOCKWELL_AUDIT.
describe('identity: refresh rotation, reuse detection, role administration', () => {
  let nats: NatsHandle;
  let identity: IdentityUnderTest;
  const admin = asUser(randomUUID(), { globalPermissions: ['users:manage', 'roles:manage'] });

  beforeAll(async () => {
    nats = await startTestNats();
    identity = await startIdentity({ nats });
  });
  afterAll(async () => {
    await identity?.stop();
    await nats?.stop();
  });

  async function newUser() {
    const email = `u-${randomUUID().slice(0, 8)}@identity.test`;
    const password = `pw-${randomUUID()}`;
    const user = await identity.rpc.request(IdentityUserCreate, { email, password, full_name: 'Test User' }, admin);
    const pair = await identity.rpc.request(IdentityAuthLogin, { email, password }, anonymous());
    return { id: user.id, email, password, ...pair, sessionId: decodeJwt(pair.access_token).sid as string };
  }
  const refresh = (token: string) => identity.rpc.request(IdentityAuthRefresh, { refresh_token: token }, anonymous());
  const tokens = (sessionId: string) =>
    identity
      .em()
      .execute<{ status: string }[]>(
        `select status from refresh_tokens where session_id = ? order by created_at, status`,
        [sessionId],
      );
  const session = async (id: string) =>
    (
      await identity
        .em()
        .execute<{ revoked_at: Date | null; revoke_reason: string | null }[]>(
          `select revoked_at, revoke_reason from sessions where id = ?`,
          [id],
        )
    )[0]!;

  it('rotates: a new pair for the same session, the old token marked used in the same step', async () => {
    const user = await newUser();
    const next = await refresh(user.refresh_token);
    expect(next.refresh_token).not.toBe(user.refresh_token);
    expect(next.refresh_token).toMatch(/^lwrt_[A-Za-z0-9_-]{43}$/);
    expect(decodeJwt(next.access_token)).toMatchObject({ sub: user.id, sid: user.sessionId });
    expect((await tokens(user.sessionId)).map((t) => t.status)).toEqual(['used', 'active']);
    const again = await refresh(next.refresh_token);
    expect((await tokens(user.sessionId)).map((t) => t.status)).toEqual(['used', 'used', 'active']);
    expect(decodeJwt(again.access_token).sid).toBe(user.sessionId);
  });

  it('answers a reused refresh token with INVALID_REFRESH_TOKEN, revokes the whole family, and audits it on LOCKWELL_AUDIT', async () => {
    const user = await newUser();
    const otherSession = await identity.rpc.request(
      IdentityAuthLogin,
      { email: user.email, password: user.password },
      anonymous(),
    );
    const next = await refresh(user.refresh_token);
    const reuse = anonymous();
    expect(await code(identity.rpc.request(IdentityAuthRefresh, { refresh_token: user.refresh_token }, reuse))).toBe(
      'INVALID_REFRESH_TOKEN',
    );
    expect(await code(refresh(next.refresh_token))).toBe('INVALID_REFRESH_TOKEN');
    expect(await session(user.sessionId)).toMatchObject({
      revoked_at: expect.anything(),
      revoke_reason: 'refresh_token_reuse',
    });
    expect((await tokens(user.sessionId)).map((t) => t.status).sort()).toEqual(['revoked', 'used']);
    const [record, ...more] = await auditRecordsWhere(
      nats,
      (r) => r.data.action === 'auth.refresh_reuse' && r.data.resource_id === user.sessionId,
    );
    expect(more).toHaveLength(0);
    expect(record).toMatchObject({
      subject: 'audit.identity.auth.refresh_reuse',
      data: {
        outcome: 'failed',
        resource_type: 'session',
        actor: { type: 'user', id: user.id },
        request_id: reuse.requestId,
        detail: { family_revoked: true },
      },
    });
    expect(JSON.stringify(record)).not.toContain(user.refresh_token);
    // Only the family of the reused token ends: the user's other session goes on.
    await expect(refresh(otherSession.refresh_token)).resolves.toMatchObject({ token_type: 'Bearer' });
    const revoked = await eventually(async () =>
      (await readStream<{ data: { session_ids: string[] } }>(nats, 'LOCKWELL_EVENTS', SessionsRevoked.subject)).find(
        (m) => m.body.data.session_ids.includes(user.sessionId),
      ),
    );
    expect(revoked.body.data).toMatchObject({ user_id: user.id, session_ids: [user.sessionId] });
    // ...and the user is told (notifications' session.refresh_reuse alert).
    const alert = await eventually(async () =>
      (await readStream<{ data: { session_id: string } }>(nats, 'LOCKWELL_EVENTS', RefreshTokenReused.subject)).find(
        (m) => m.body.data.session_id === user.sessionId,
      ),
    );
    expect(alert.body.data).toEqual({ user_id: user.id, session_id: user.sessionId });
  });

  it('lets exactly one of several concurrent refreshes with one token win; the losers revoke the family', async () => {
    const user = await newUser();
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => refresh(user.refresh_token)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.code)).toEqual(
      Array(4).fill('INVALID_REFRESH_TOKEN'),
    );
    expect((await tokens(user.sessionId)).length).toBe(2);
    expect((await session(user.sessionId)).revoke_reason).toBe('refresh_token_reuse');
  });

  it('refuses unknown tokens, tokens of a logged-out session, and tokens of a disabled user, without revoking anything else', async () => {
    expect(await code(refresh(`lwrt_${'x'.repeat(43)}`))).toBe('INVALID_REFRESH_TOKEN');
    const user = await newUser();
    const other = await identity.rpc.request(
      IdentityAuthLogin,
      { email: user.email, password: user.password },
      anonymous(),
    );
    await identity.rpc.request(IdentityAuthLogout, {}, asUser(user.id, { sessionId: user.sessionId }));
    expect(await code(refresh(user.refresh_token))).toBe('INVALID_REFRESH_TOKEN');
    expect((await session(user.sessionId)).revoke_reason).toBe('logout');
    // A logged-out session's token is refused as invalid, not treated (and audited) as a stolen one. A failed
    // login afterwards is the marker: the relay publishes in commit order, so once it is on the stream a
    // reuse record of the refresh before it would be too.
    const marker = anonymous();
    expect(
      await code(identity.rpc.request(IdentityAuthLogin, { email: user.email, password: 'not-the-password' }, marker)),
    ).toBe('INVALID_CREDENTIALS');
    await auditRecordsWhere(nats, (r) => r.data.request_id === marker.requestId);
    const audit = await readStream<{ data: { action: string; resource_id: string } }>(nats, 'LOCKWELL_AUDIT');
    expect(
      audit.filter((m) => m.body.data.action === 'auth.refresh_reuse' && m.body.data.resource_id === user.sessionId),
    ).toEqual([]);
    const rotated = await refresh(other.refresh_token);
    await identity.em().execute(`update users set status = 'disabled' where id = ?`, [user.id]);
    expect(await code(refresh(rotated.refresh_token))).toBe('INVALID_REFRESH_TOKEN');
    // A refusal for a disabled user is not a reuse: the other session was not revoked by it.
    expect((await session(decodeJwt(other.access_token).sid as string)).revoked_at).toBeNull();
  });

  it("ends every session but the caller's on a password change, all of them for an admin or a deletion, and nothing twice", async () => {
    const user = await newUser();
    const second = await identity.rpc.request(
      IdentityAuthLogin,
      { email: user.email, password: user.password },
      anonymous(),
    );
    const third = await identity.rpc.request(
      IdentityAuthLogin,
      { email: user.email, password: user.password },
      anonymous(),
    );
    const me = asUser(user.id, { sessionId: user.sessionId });
    await expect(
      identity.rpc.request(
        IdentityPasswordChange,
        { current_password: user.password, new_password: `new-${user.password}` },
        me,
      ),
    ).resolves.toEqual({ revoked_sessions: 2 });
    expect((await session(user.sessionId)).revoked_at).toBeNull();
    for (const pair of [second, third])
      expect((await session(decodeJwt(pair.access_token).sid as string)).revoke_reason).toBe('password_changed');
    await expect(refresh(user.refresh_token)).resolves.toMatchObject({ token_type: 'Bearer' });
    await expect(identity.rpc.request(IdentitySessionRevokeAll, { user_id: user.id }, admin)).resolves.toEqual({
      revoked_sessions: 1,
    });
    await expect(identity.rpc.request(IdentitySessionRevokeAll, { user_id: user.id }, admin)).resolves.toEqual({
      revoked_sessions: 0,
    });
    // Logging out with an API token (no session of its own, no refresh token) ends nothing.
    await expect(identity.rpc.request(IdentityAuthLogout, {}, asApiToken(user.id, randomUUID()))).resolves.toEqual({
      session_ids: [],
    });
    const doomed = await newUser();
    await identity.rpc.request(IdentityUserDelete, { user_id: doomed.id }, admin);
    const revoked = await eventually(async () =>
      (await readStream<{ data: { session_ids: string[] } }>(nats, 'LOCKWELL_EVENTS', SessionsRevoked.subject)).find(
        (m) => m.body.data.session_ids.includes(doomed.sessionId),
      ),
    );
    expect(revoked.body.data.session_ids).toEqual([doomed.sessionId]);
    expect(await session(doomed.sessionId)).toBeUndefined();
    const empty = (
      await readStream<{ data: { session_ids: string[] } }>(nats, 'LOCKWELL_EVENTS', SessionsRevoked.subject)
    ).filter((m) => m.body.data.session_ids.length === 0);
    expect(empty).toEqual([]);
  });

  it('refuses to delete the only owner of a tenant with LAST_OWNER and changes nothing; deletes them once they are not', async () => {
    const owner = await newUser();
    const tenantId = randomUUID();
    tenantsFixtures.soleOwner.set(owner.id, [tenantId]);
    const err = await identity.rpc.request(IdentityUserDelete, { user_id: owner.id }, admin).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'LAST_OWNER',
      details: [{ field: 'tenant_ids', issue: `only owner of tenant ${tenantId}` }],
    });
    expect(await session(owner.sessionId)).toMatchObject({ revoked_at: null });
    expect(await identity.em().execute(`select 1 from users where id = ?`, [owner.id])).toHaveLength(1);
    await expect(refresh(owner.refresh_token)).resolves.toMatchObject({ token_type: 'Bearer' });

    tenantsFixtures.soleOwner.delete(owner.id);
    await identity.rpc.request(IdentityUserDelete, { user_id: owner.id }, admin);
    expect(await identity.em().execute(`select 1 from users where id = ?`, [owner.id])).toHaveLength(0);
  });

  it('keeps role administration to holders of roles:manage; a refusal changes nothing', async () => {
    const role = await identity.rpc.request(
      IdentityRoleCreate,
      { name: `ops-${randomUUID().slice(0, 6)}`, permissions: ['secrets:read'] },
      admin,
    );
    const userAdmin = asUser(randomUUID(), { globalPermissions: ['users:manage', 'users:read'] });
    expect(
      await code(
        identity.rpc.request(
          IdentityRoleUpdate,
          { role_id: role.id, changes: { permissions: ['secrets:read', 'users:manage'] } },
          userAdmin,
        ),
      ),
    ).toBe('FORBIDDEN');
    expect(
      await code(
        identity.rpc.request(
          IdentityRoleUpdate,
          { role_id: role.id, changes: { description: 'x' } },
          asUser(randomUUID()),
        ),
      ),
    ).toBe('FORBIDDEN');
    expect(await code(identity.rpc.request(IdentityRoleDelete, { role_id: role.id }, userAdmin))).toBe('FORBIDDEN');
    expect(
      await code(
        identity.rpc.request(IdentityRoleCreate, { name: 'sneaky', permissions: ['users:manage'] }, userAdmin),
      ),
    ).toBe('FORBIDDEN');
    expect(await identity.rpc.request(IdentityRoleGet, { role_id: role.id }, userAdmin)).toMatchObject({
      permissions: ['secrets:read'],
      description: null,
    });
    await expect(
      identity.rpc.request(IdentityRoleUpdate, { role_id: role.id, changes: { permissions: ['secrets:list'] } }, admin),
    ).resolves.toMatchObject({ permissions: ['secrets:list'] });
  });
});
