// The audit trail through the gateway (issue 17, AUD-2..AUD-5; docs/audit.md): one record per covered action
// with the right fields, tenant isolation, tamper and truncation detection by /audit/verify, the audit service
// being down delaying records but blocking nothing, no canary in any record, and the streamed export.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { decodeJwt } from 'jose';
import { eventually, FakeClock } from '@lockwell/testing';
import { LifecycleJob } from '../apps/vault/src/lifecycle/lifecycle.job.js';
import { startSystem, type TestSystem } from './support/system.js';
import { clientFor, http, type HttpResult } from './support/http.js';
import { adminToken, createUser, login, type CreatedUser } from './support/auth.js';

interface Expected {
  action: string;
  resource_type: string;
  resource_id?: string | null;
  outcome: 'success' | 'failed' | 'denied';
  tenant_id: string | null;
  actor: { type: string; id: string | null };
}
interface Case {
  name: string;
  /** Performs the action with the given request id; returns what its one record must hold. */
  run(requestId: string): Promise<Expected>;
}

describe('audit trail through the gateway', () => {
  const clock = new FakeClock(new Date());
  const canary = `CANARY-${randomUUID()}`;
  let sys: TestSystem;
  let api: ReturnType<typeof clientFor>;
  let admin: string;
  let adminId: string;
  let owner: CreatedUser;
  let member: CreatedUser;
  let outsider: CreatedUser;
  let tenantId: string;
  let otherTenantId: string;
  let auditDb: pg.Client;

  /** A call with our own X-Request-Id, so the test can find the record(s) it caused. */
  const call = (
    method: string,
    path: string,
    opts: { token?: string; body?: unknown; requestId?: string } = {},
  ): Promise<HttpResult> =>
    http(sys.url, method, path, {
      token: opts.token,
      body: opts.body,
      headers: opts.requestId ? { 'x-request-id': opts.requestId } : {},
    });
  const records = async (query: string, token = admin) => {
    const res = await api.get(`/api/v1/audit?limit=200&${query}`, { token });
    expect(res.status).toBe(200);
    return res.body.items as any[];
  };
  async function eventuallyRecords(requestId: string, min = 1) {
    return eventually(async () => {
      const found = (await records('')).filter((r) => r.request_id === requestId);
      return found.length >= min ? found : null;
    }, 15_000);
  }
  const verify = async (query: string, token = admin) => {
    const res = await api.get(`/api/v1/audit/verify?${query}`, { token });
    expect(res.status).toBe(200);
    return res.body;
  };

  beforeAll(async () => {
    sys = await startSystem({
      clock,
      env: { LOCKWELL_LIFECYCLE_INTERVAL_MS: '0', LOCKWELL_AUDIT_CHECKPOINT_INTERVAL_MS: '300' },
    });
    api = clientFor(sys.url);
    admin = await adminToken(sys);
    adminId = decodeJwt(admin).sub as string;
    owner = await createUser(sys, admin);
    member = await createUser(sys, admin);
    outsider = await createUser(sys, admin);
    const tenant = await api.post(
      '/api/v1/tenants',
      { name: `Audit ${randomUUID().slice(0, 8)}` },
      { token: owner.access_token },
    );
    const other = await api.post(
      '/api/v1/tenants',
      { name: `Other ${randomUUID().slice(0, 8)}` },
      { token: outsider.access_token },
    );
    expect([tenant.status, other.status]).toEqual([201, 201]);
    tenantId = tenant.body.id;
    otherTenantId = other.body.id;
    expect(
      (
        await api.post(
          `/api/v1/tenants/${tenantId}/members`,
          { user_id: member.id, role: 'viewer' },
          { token: owner.access_token },
        )
      ).status,
    ).toBe(201);
    auditDb = new pg.Client({ connectionString: sys.databaseUrl('audit') });
    await auditDb.connect();
  }, 120_000);
  afterAll(async () => {
    await auditDb?.end();
    await sys?.stop();
  });

  const user = (u: { id: string }) => ({ type: 'user', id: u.id });
  let secretId = '';
  let roleId = '';
  let apiTokenId = '';
  let shortLivedTenantId = '';
  let doomedUserId = '';

  const CASES: Case[] = [
    {
      name: 'login success',
      run: async (rid) => {
        const res = await call('POST', '/api/v1/auth/login', {
          body: { email: member.email, password: member.password },
          requestId: rid,
        });
        expect(res.status).toBe(200);
        return {
          action: 'auth.login',
          resource_type: 'session',
          resource_id: decodeJwt(res.body.access_token).sid as string,
          outcome: 'success',
          tenant_id: null,
          actor: user(member),
        };
      },
    },
    {
      name: 'login failure',
      run: async (rid) => {
        expect(
          (
            await call('POST', '/api/v1/auth/login', {
              body: { email: member.email, password: `${canary}-wrong` },
              requestId: rid,
            })
          ).status,
        ).toBe(401);
        return {
          action: 'auth.login',
          resource_type: 'user',
          resource_id: member.id,
          outcome: 'failed',
          tenant_id: null,
          actor: { type: 'anonymous', id: null },
        };
      },
    },
    {
      name: 'refresh token reuse',
      run: async (rid) => {
        const pair = await login(sys, member.email, member.password);
        expect(
          (await call('POST', '/api/v1/auth/refresh', { body: { refresh_token: pair.refresh_token } })).status,
        ).toBe(200);
        expect(
          (await call('POST', '/api/v1/auth/refresh', { body: { refresh_token: pair.refresh_token }, requestId: rid }))
            .status,
        ).toBe(401);
        return {
          action: 'auth.refresh_reuse',
          resource_type: 'session',
          resource_id: decodeJwt(pair.access_token).sid as string,
          outcome: 'failed',
          tenant_id: null,
          actor: user(member),
        };
      },
    },
    {
      name: 'logout',
      run: async (rid) => {
        const pair = await login(sys, member.email, member.password);
        expect(
          (await call('POST', '/api/v1/auth/logout', { token: pair.access_token, body: {}, requestId: rid })).status,
        ).toBeLessThan(300);
        return {
          action: 'auth.logout',
          resource_type: 'session',
          resource_id: decodeJwt(pair.access_token).sid as string,
          outcome: 'success',
          tenant_id: null,
          actor: user(member),
        };
      },
    },
    {
      name: 'session revocation',
      run: async (rid) => {
        const pair = await login(sys, member.email, member.password);
        const sid = decodeJwt(pair.access_token).sid as string;
        expect(
          (await call('DELETE', `/api/v1/tokens/sessions/${sid}`, { token: member.access_token, requestId: rid }))
            .status,
        ).toBeLessThan(300);
        return {
          action: 'session.revoke',
          resource_type: 'session',
          resource_id: sid,
          outcome: 'success',
          tenant_id: null,
          actor: user(member),
        };
      },
    },
    {
      name: 'secret write (create)',
      run: async (rid) => {
        const res = await call('POST', '/api/v1/tenant-secrets', {
          token: owner.access_token,
          body: { tenant_id: tenantId, service_name: 'audit', secret_key_name: 'k', secret_value: canary },
          requestId: rid,
        });
        expect(res.status).toBe(201);
        secretId = res.body.id;
        return {
          action: 'secret.create',
          resource_type: 'secret',
          resource_id: secretId,
          outcome: 'success',
          tenant_id: tenantId,
          actor: user(owner),
        };
      },
    },
    {
      name: 'secret read',
      run: async (rid) => {
        expect(
          (await call('GET', `/api/v1/tenant-secrets/${secretId}`, { token: owner.access_token, requestId: rid }))
            .status,
        ).toBe(200);
        return {
          action: 'secret.read',
          resource_type: 'secret',
          resource_id: secretId,
          outcome: 'success',
          tenant_id: tenantId,
          actor: user(owner),
        };
      },
    },
    {
      name: 'secret write (new version)',
      run: async (rid) => {
        expect(
          (
            await call('PUT', `/api/v1/tenant-secrets/${secretId}`, {
              token: owner.access_token,
              body: { secret_value: `${canary}-v2` },
              requestId: rid,
            })
          ).status,
        ).toBe(200);
        return {
          action: 'secret.update',
          resource_type: 'secret',
          resource_id: secretId,
          outcome: 'success',
          tenant_id: tenantId,
          actor: user(owner),
        };
      },
    },
    {
      name: 'secret rollback',
      run: async (rid) => {
        expect(
          (
            await call('POST', `/api/v1/tenant-secrets/${secretId}/rollback`, {
              token: owner.access_token,
              body: { version: 1 },
              requestId: rid,
            })
          ).status,
        ).toBe(200);
        return {
          action: 'secret.rollback',
          resource_type: 'secret',
          resource_id: secretId,
          outcome: 'success',
          tenant_id: tenantId,
          actor: user(owner),
        };
      },
    },
    {
      name: 'secret update denied (authorization failure)',
      run: async (rid) => {
        const mine = await call('POST', '/api/v1/tenant-secrets', {
          token: owner.access_token,
          body: {
            tenant_id: tenantId,
            service_name: 'audit',
            secret_key_name: 'prod',
            environment: 'production',
            secret_value: canary,
          },
        });
        expect(mine.status).toBe(201);
        // A viewer may read but not write. (An outsider asking for the id gets 404 without a record: the vault
        // looks only within the caller's reach, so it never learns which tenant's secret was probed.)
        expect(
          (
            await call('PUT', `/api/v1/tenant-secrets/${mine.body.id}`, {
              token: member.access_token,
              requestId: rid,
              body: { secret_value: 'not-allowed' },
            })
          ).status,
        ).toBe(403);
        return {
          action: 'secret.update',
          resource_type: 'secret',
          resource_id: mine.body.id,
          outcome: 'denied',
          tenant_id: tenantId,
          actor: user(member),
        };
      },
    },
    {
      name: 'secret lifecycle transition (scheduled deletion)',
      run: async (rid) => {
        expect(
          (
            await call('DELETE', `/api/v1/tenant-secrets/${secretId}?mode=schedule`, {
              token: owner.access_token,
              requestId: rid,
            })
          ).status,
        ).toBeLessThan(300);
        return {
          action: 'secret.schedule-deletion',
          resource_type: 'secret',
          resource_id: secretId,
          outcome: 'success',
          tenant_id: tenantId,
          actor: user(owner),
        };
      },
    },
    {
      name: 'secret lifecycle transition (deletion cancelled)',
      run: async (rid) => {
        expect(
          (
            await call('POST', `/api/v1/tenant-secrets/${secretId}/cancel-deletion`, {
              token: owner.access_token,
              requestId: rid,
            })
          ).status,
        ).toBe(200);
        return {
          action: 'secret.cancel-deletion',
          resource_type: 'secret',
          resource_id: secretId,
          outcome: 'success',
          tenant_id: tenantId,
          actor: user(owner),
        };
      },
    },
    {
      name: 'membership change (add)',
      run: async (rid) => {
        expect(
          (
            await call('POST', `/api/v1/tenants/${tenantId}/members`, {
              token: owner.access_token,
              body: { user_id: outsider.id, role: 'viewer' },
              requestId: rid,
            })
          ).status,
        ).toBe(201);
        return {
          action: 'member.add',
          resource_type: 'membership',
          resource_id: outsider.id,
          outcome: 'success',
          tenant_id: tenantId,
          actor: user(owner),
        };
      },
    },
    {
      name: 'membership change (role)',
      run: async (rid) => {
        expect(
          (
            await call('PUT', `/api/v1/tenants/${tenantId}/members/${outsider.id}`, {
              token: owner.access_token,
              body: { role: 'member' },
              requestId: rid,
            })
          ).status,
        ).toBe(200);
        return {
          action: 'member.update',
          resource_type: 'membership',
          resource_id: outsider.id,
          outcome: 'success',
          tenant_id: tenantId,
          actor: user(owner),
        };
      },
    },
    {
      name: 'membership change (remove)',
      run: async (rid) => {
        expect(
          (
            await call('DELETE', `/api/v1/tenants/${tenantId}/members/${outsider.id}`, {
              token: owner.access_token,
              requestId: rid,
            })
          ).status,
        ).toBeLessThan(300);
        return {
          action: 'member.remove',
          resource_type: 'membership',
          resource_id: outsider.id,
          outcome: 'success',
          tenant_id: tenantId,
          actor: user(owner),
        };
      },
    },
    {
      name: 'authorization denial (member management by a viewer)',
      run: async (rid) => {
        expect(
          (
            await call('POST', `/api/v1/tenants/${tenantId}/members`, {
              token: member.access_token,
              body: { user_id: outsider.id, role: 'owner' },
              requestId: rid,
            })
          ).status,
        ).toBe(403);
        return {
          action: 'authz.denied',
          resource_type: 'member',
          resource_id: outsider.id,
          outcome: 'denied',
          tenant_id: tenantId,
          actor: user(member),
        };
      },
    },
    {
      name: 'authorization denial (installation administration by a user)',
      run: async (rid) => {
        expect(
          (
            await call('POST', '/api/v1/roles', {
              token: member.access_token,
              body: { name: `nope-${randomUUID().slice(0, 6)}`, permissions: ['users:read'] },
              requestId: rid,
            })
          ).status,
        ).toBe(403);
        return {
          action: 'authz.denied',
          resource_type: 'role',
          resource_id: null,
          outcome: 'denied',
          tenant_id: null,
          actor: user(member),
        };
      },
    },
    {
      name: 'role change (create)',
      run: async (rid) => {
        const res = await call('POST', '/api/v1/roles', {
          token: admin,
          body: { name: `auditors-${randomUUID().slice(0, 6)}`, permissions: ['audit:read'] },
          requestId: rid,
        });
        expect(res.status).toBe(201);
        roleId = res.body.id;
        return {
          action: 'role.create',
          resource_type: 'role',
          resource_id: roleId,
          outcome: 'success',
          tenant_id: null,
          actor: { type: 'user', id: adminId },
        };
      },
    },
    {
      name: 'role change (update)',
      run: async (rid) => {
        expect(
          (
            await call('PUT', `/api/v1/roles/${roleId}`, {
              token: admin,
              body: { permissions: ['audit:read', 'tenant:read'] },
              requestId: rid,
            })
          ).status,
        ).toBe(200);
        return {
          action: 'role.update',
          resource_type: 'role',
          resource_id: roleId,
          outcome: 'success',
          tenant_id: null,
          actor: { type: 'user', id: adminId },
        };
      },
    },
    {
      name: 'role change (delete)',
      run: async (rid) => {
        expect((await call('DELETE', `/api/v1/roles/${roleId}`, { token: admin, requestId: rid })).status).toBeLessThan(
          300,
        );
        return {
          action: 'role.delete',
          resource_type: 'role',
          resource_id: roleId,
          outcome: 'success',
          tenant_id: null,
          actor: { type: 'user', id: adminId },
        };
      },
    },
    {
      name: 'API token created',
      run: async (rid) => {
        const res = await call('POST', '/api/v1/tokens/api', {
          token: owner.access_token,
          body: { name: 'line one\nline two', tenant_id: tenantId, permissions: ['secrets:read'] },
          requestId: rid,
        });
        expect(res.status).toBe(201);
        apiTokenId = res.body.id;
        return {
          action: 'api_token.create',
          resource_type: 'api_token',
          resource_id: apiTokenId,
          outcome: 'success',
          tenant_id: tenantId,
          actor: user(owner),
        };
      },
    },
    {
      name: 'API token revoked',
      run: async (rid) => {
        expect(
          (await call('DELETE', `/api/v1/tokens/api/${apiTokenId}`, { token: owner.access_token, requestId: rid }))
            .status,
        ).toBeLessThan(300);
        return {
          action: 'api_token.revoke',
          resource_type: 'api_token',
          resource_id: apiTokenId,
          outcome: 'success',
          tenant_id: tenantId,
          actor: user(owner),
        };
      },
    },
    {
      name: 'signing key rotation',
      run: async (rid) => {
        expect((await call('POST', '/api/v1/auth/keys/rotate', { token: admin, requestId: rid })).status).toBeLessThan(
          300,
        );
        return {
          action: 'signing_key.rotate',
          resource_type: 'signing_key',
          outcome: 'success',
          tenant_id: null,
          actor: { type: 'user', id: adminId },
        };
      },
    },
    {
      name: 'master key rotation (vault)',
      run: async (rid) => {
        expect(
          (await call('POST', '/api/v1/admin/master-key/rotate', { token: admin, body: {}, requestId: rid })).status,
        ).toBe(200);
        return {
          action: 'master-key.rotate',
          resource_type: 'master_key',
          outcome: 'success',
          tenant_id: null,
          actor: { type: 'user', id: adminId },
        };
      },
    },
    {
      name: 'tenant created',
      run: async (rid) => {
        const res = await call('POST', '/api/v1/tenants', {
          token: owner.access_token,
          body: { name: `Short-lived ${randomUUID().slice(0, 6)}` },
          requestId: rid,
        });
        expect(res.status).toBe(201);
        shortLivedTenantId = res.body.id;
        return {
          action: 'tenant.create',
          resource_type: 'tenant',
          resource_id: shortLivedTenantId,
          outcome: 'success',
          tenant_id: shortLivedTenantId,
          actor: user(owner),
        };
      },
    },
    {
      name: 'tenant updated',
      run: async (rid) => {
        expect(
          (
            await call('PUT', `/api/v1/tenants/${shortLivedTenantId}`, {
              token: owner.access_token,
              body: { description: 'line\r\nbreak' },
              requestId: rid,
            })
          ).status,
        ).toBe(200);
        return {
          action: 'tenant.update',
          resource_type: 'tenant',
          resource_id: shortLivedTenantId,
          outcome: 'success',
          tenant_id: shortLivedTenantId,
          actor: user(owner),
        };
      },
    },
    {
      name: 'tenant deletion requested',
      run: async (rid) => {
        expect(
          (await call('DELETE', `/api/v1/tenants/${shortLivedTenantId}`, { token: owner.access_token, requestId: rid }))
            .status,
        ).toBe(202);
        return {
          action: 'tenant.delete',
          resource_type: 'tenant',
          resource_id: shortLivedTenantId,
          outcome: 'success',
          tenant_id: shortLivedTenantId,
          actor: user(owner),
        };
      },
    },
    {
      name: 'user created (admin action)',
      run: async (rid) => {
        const res = await call('POST', '/api/v1/users', {
          token: admin,
          body: {
            email: `doomed-${randomUUID().slice(0, 8)}@lockwell.test`,
            password: `${canary}-pw`,
            full_name: 'Doomed',
          },
          requestId: rid,
        });
        expect(res.status).toBe(201);
        doomedUserId = res.body.id;
        return {
          action: 'user.create',
          resource_type: 'user',
          resource_id: doomedUserId,
          outcome: 'success',
          tenant_id: null,
          actor: { type: 'user', id: adminId },
        };
      },
    },
    {
      name: 'user disabled (admin action)',
      run: async (rid) => {
        expect(
          (
            await call('PUT', `/api/v1/users/${doomedUserId}`, {
              token: admin,
              body: { status: 'disabled' },
              requestId: rid,
            })
          ).status,
        ).toBe(200);
        return {
          action: 'user.disable',
          resource_type: 'user',
          resource_id: doomedUserId,
          outcome: 'success',
          tenant_id: null,
          actor: { type: 'user', id: adminId },
        };
      },
    },
    {
      name: "a user's sessions revoked (admin action)",
      run: async (rid) => {
        expect(
          (await call('DELETE', `/api/v1/users/${member.id}/sessions`, { token: admin, requestId: rid })).status,
        ).toBeLessThan(300);
        member = { ...member, ...(await login(sys, member.email, member.password)) };
        return {
          action: 'session.revoke_all',
          resource_type: 'user',
          resource_id: member.id,
          outcome: 'success',
          tenant_id: null,
          actor: { type: 'user', id: adminId },
        };
      },
    },
    {
      name: 'user deleted (admin action)',
      run: async (rid) => {
        expect(
          (await call('DELETE', `/api/v1/users/${doomedUserId}`, { token: admin, requestId: rid })).status,
        ).toBeLessThan(300);
        return {
          action: 'user.delete',
          resource_type: 'user',
          resource_id: doomedUserId,
          outcome: 'success',
          tenant_id: null,
          actor: { type: 'user', id: adminId },
        };
      },
    },
    {
      name: 'password change refused (wrong current password)',
      run: async (rid) => {
        const res = await call('POST', '/api/v1/users/me/password', {
          token: member.access_token,
          body: { current_password: `${canary}-not-it`, new_password: `${canary}-new-pw` },
          requestId: rid,
        });
        expect(res.status).toBeGreaterThanOrEqual(400);
        return {
          action: 'user.password_change',
          resource_type: 'user',
          resource_id: member.id,
          outcome: 'failed',
          tenant_id: null,
          actor: user(member),
        };
      },
    },
    {
      name: 'secret delete',
      run: async (rid) => {
        expect(
          (
            await call('DELETE', `/api/v1/tenant-secrets/${secretId}?mode=now`, {
              token: owner.access_token,
              requestId: rid,
            })
          ).status,
        ).toBeLessThan(300);
        return {
          action: 'secret.delete',
          resource_type: 'secret',
          resource_id: secretId,
          outcome: 'success',
          tenant_id: tenantId,
          actor: user(owner),
        };
      },
    },
  ];

  it.each(CASES.map((c) => [c.name, c] as const))(
    '%s produces exactly one record with the right fields (AUD-2)',
    async (_name, c) => {
      const rid = `audit-e2e-${randomUUID()}`;
      const expected = await c.run(rid);
      await eventuallyRecords(rid);
      await new Promise((r) => setTimeout(r, 200));
      const mine = (await records('')).filter(
        (r) => r.request_id === rid && r.action === expected.action && expected.resource_type === r.resource_type,
      );
      expect(mine).toHaveLength(1);
      const [record] = mine;
      expect(record).toMatchObject({ ...expected, request_id: rid, ip: '127.0.0.1', detail: expect.any(Object) });
      expect(record.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(Math.abs(Date.parse(record.time) - Date.now())).toBeLessThan(10 * 60_000);
    },
  );

  it('records a lifecycle transition made by the vault on its own, as the system', async () => {
    const res = await api.post(
      '/api/v1/tenant-secrets',
      { tenant_id: tenantId, service_name: 'audit', secret_key_name: 'idle', secret_value: 'idle' },
      { token: owner.access_token },
    );
    expect(res.status).toBe(201);
    clock.advanceDays(31);
    await sys.services.vault.get(LifecycleJob).runOnce(clock.now());
    const [record] = await eventually(async () => {
      const found = (await records(`tenant_id=${tenantId}&action=secret.inactive&resource_id=${res.body.id}`)).filter(
        Boolean,
      );
      return found.length ? found : null;
    }, 15_000);
    expect(record).toMatchObject({
      action: 'secret.inactive',
      outcome: 'success',
      tenant_id: tenantId,
      actor: { type: 'system', id: 'vault' },
      detail: { by: 'lifecycle' },
    });
  });

  it('keeps user input with line breaks inside its field (AUD-5) and lets a tenant admin see only their tenant', async () => {
    const own = await records(`tenant_id=${tenantId}`, owner.access_token);
    expect(own.length).toBeGreaterThan(5);
    expect(own.every((r) => r.tenant_id === tenantId)).toBe(true);
    expect(own.find((r) => r.action === 'api_token.create')?.detail.name).toBe('line one\nline two');
    const theirs = await api.get(`/api/v1/audit?tenant_id=${otherTenantId}`, { token: owner.access_token });
    expect([theirs.status, theirs.body.error.code]).toEqual([404, 'TENANT_NOT_FOUND']);
    const all = await api.get('/api/v1/audit', { token: owner.access_token });
    expect([all.status, all.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    const viewer = await api.get(`/api/v1/audit?tenant_id=${tenantId}`, { token: member.access_token });
    expect([viewer.status, viewer.body.error.code]).toEqual([403, 'FORBIDDEN']);
    expect(
      (await api.get(`/api/v1/audit/verify?tenant_id=${otherTenantId}`, { token: owner.access_token })).status,
    ).toBe(404);
    expect(
      (await api.get(`/api/v1/audit/export?tenant_id=${otherTenantId}`, { token: owner.access_token })).status,
    ).toBe(404);
    // The installation admin sees both tenants and the global chain.
    const everything = await records('');
    expect(everything.some((r) => r.tenant_id === otherTenantId) && everything.some((r) => r.tenant_id === null)).toBe(
      true,
    );
  });

  it('streams the export as JSON lines, oldest first, each line one whole record with its chain position', async () => {
    const res = await fetch(`${sys.url}/api/v1/audit/export?tenant_id=${tenantId}`, {
      headers: { authorization: `Bearer ${owner.access_token}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    const lines = (await res.text())
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    // The list holds what the export held (records arriving meanwhile come after them).
    const listed = (await records(`tenant_id=${tenantId}`, owner.access_token)).map((r) => r.id);
    expect(lines.length).toBeGreaterThan(10);
    expect(lines.map((l) => l.id).filter((id) => !listed.includes(id))).toEqual([]);
    // Ordered by time; in chain order they are the whole chain, each linked to the one before.
    const chain = [...lines].sort((a, b) => a.sequence - b.sequence);
    expect(chain.map((l) => l.sequence)).toEqual(lines.map((_, i) => i + 1));
    expect(chain[0]).toMatchObject({ chain: tenantId, previous_hash: '0'.repeat(64), tenant_id: tenantId });
    expect(chain.every((l, i) => i === 0 || l.previous_hash === chain[i - 1].hash)).toBe(true);
  });

  it('never stores the canary, a password or a token in any record (AUD-3)', async () => {
    const { rows } = await auditDb.query(`select row(a.*)::text as t from audit_records a`);
    expect(rows.length).toBeGreaterThan(20);
    const needles = [canary, owner.password, member.password, owner.refresh_token, owner.access_token];
    expect(rows.filter((r) => needles.some((n) => r.t.includes(n)))).toEqual([]);
  });

  it('keeps working while the audit service is down; the records appear once it is back', async () => {
    await sys.stopService('audit');
    const rid = `audit-down-${randomUUID()}`;
    const created = await call('POST', '/api/v1/tenant-secrets', {
      token: owner.access_token,
      body: { tenant_id: tenantId, service_name: 'down', secret_key_name: 'k', secret_value: 'v' },
      requestId: rid,
    });
    expect(created.status).toBe(201);
    expect(
      (
        await call('GET', `/api/v1/tenant-secrets/${created.body.id}`, {
          token: owner.access_token,
          requestId: `${rid}-read`,
        })
      ).status,
    ).toBe(200);
    // The gateway stays ready: nothing waits for the audit service.
    const readyz = await api.get('/readyz');
    expect(readyz.status).toBe(200);
    expect(readyz.body.services.find((s: { name: string }) => s.name === 'audit')).toMatchObject({
      ok: false,
      required: false,
    });
    await sys.restartService('audit');
    const [record] = await eventuallyRecords(rid);
    expect(record).toMatchObject({ action: 'secret.create', resource_id: created.body.id });
    await eventuallyRecords(`${rid}-read`);
    const healthy = await eventually(async () => {
      const res = await api.get('/readyz');
      const audit = res.body.services.find((s: { name: string }) => s.name === 'audit');
      return audit?.figures?.audit_consumer_pending === 0 ? audit : null;
      // Events handed to the stopped instance come back after the consumer's ack wait (30 s).
    }, 60_000);
    expect(healthy.ok).toBe(true);
  });

  it('verifies a chain in segments through the gateway, resuming only at a signed checkpoint', async () => {
    // Records may still arrive meanwhile: the segments together walk at least the chain as it was before.
    const before = (await verify(`tenant_id=${tenantId}`)).records_checked;
    const first = await verify(`tenant_id=${tenantId}&max_records=1`, owner.access_token);
    expect(first).toMatchObject({ intact: true, complete: false, next_after_sequence: expect.any(Number) });
    let segment = first;
    let checked = first.records_checked;
    while (!segment.complete) {
      segment = await verify(`tenant_id=${tenantId}&max_records=1&after_sequence=${segment.next_after_sequence}`);
      expect(segment.intact).toBe(true);
      checked += segment.records_checked;
    }
    expect(checked).toBeGreaterThanOrEqual(before);
    expect(checked).toBeLessThanOrEqual((await verify(`tenant_id=${tenantId}`)).records_checked);
    for (const bad of ['after_sequence=-1', 'max_records=0', 'max_records=100001', 'after_sequence=x']) {
      const res = await api.get(`/api/v1/audit/verify?tenant_id=${tenantId}&${bad}`, { token: admin });
      expect([bad, res.status, res.body.error.code]).toEqual([bad, 400, 'VALIDATION_FAILED']);
    }
  });

  it('verifies every chain, then reports a row edited or deleted past the trigger, and removed newest records', async () => {
    expect(await verify(`tenant_id=${tenantId}`, owner.access_token)).toMatchObject({
      intact: true,
      first_broken: null,
    });
    expect(await verify('')).toMatchObject({ intact: true });
    expect(await verify(`tenant_id=${otherTenantId}`)).toMatchObject({ intact: true });
    const superuser = async (sql: string, params: unknown[]) => {
      await auditDb.query('begin');
      await auditDb.query('set local session_replication_role = replica');
      await auditDb.query(sql, params);
      await auditDb.query('commit');
    };
    // The trigger refuses even the superuser while it is in force.
    await expect(
      auditDb.query(`update audit_records set outcome = 'success' where chain = $1`, [tenantId]),
    ).rejects.toThrow(/append-only/);
    // Edit: the first broken record is the edited one.
    const {
      rows: [edited],
    } = await auditDb.query(
      `select id from audit_records where chain = $1 and action = 'secret.update' and outcome = 'denied' limit 1`,
      [tenantId],
    );
    await superuser(`update audit_records set outcome = 'success' where id = $1`, [edited.id]);
    expect(await verify(`tenant_id=${tenantId}`, owner.access_token)).toMatchObject({
      intact: false,
      problem: 'hash_mismatch',
      first_broken: { id: edited.id },
    });
    // Delete from the middle of the global chain.
    const {
      rows: [victim],
    } = await auditDb.query(`select seq from audit_records where chain = 'global' order by seq limit 1 offset 3`);
    await superuser(`delete from audit_records where chain = 'global' and seq = $1`, [victim.seq]);
    expect(await verify('')).toMatchObject({ intact: false, problem: 'sequence_gap' });
    // Truncation: wait for a checkpoint of the other tenant's head, then remove its newest records.
    const {
      rows: [head],
    } = await auditDb.query(`select max(seq)::int as seq from audit_records where chain = $1`, [otherTenantId]);
    await eventually(
      async () =>
        (
          await auditDb.query(`select 1 from audit_checkpoints where chain = $1 and seq = $2`, [
            otherTenantId,
            head.seq,
          ])
        ).rows.length > 0,
      10_000,
    );
    await superuser(`delete from audit_records where chain = $1 and seq > 1`, [otherTenantId]);
    expect(await verify(`tenant_id=${otherTenantId}`)).toMatchObject({
      intact: false,
      problem: 'truncated',
      records_checked: 1,
    });
  });
});
