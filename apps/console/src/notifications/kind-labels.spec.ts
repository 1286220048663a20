import { describe, expect, it } from '@jest/globals';
import type { InboxItem } from '../api/types';
import { itemLink, KINDS } from './kind-labels';

const TENANT = '0b6f7c1e-3f6a-4a55-9d1e-1c1f5c7d2a10';
const SECRET = '6a1f0d9e-2b7c-4c1d-8e3f-5a6b7c8d9e0f';
const item = (kind: InboxItem['kind'], tenant: string | null, resource: string | null): InboxItem => ({
  id: 'x',
  kind,
  title: 't',
  body: 'b',
  tenant_id: tenant,
  resource_id: resource,
  created_at: '2026-12-04T10:00:00.000Z',
  read_at: null,
});

describe('notification kinds', () => {
  it('names all 17 kinds of the API', () => {
    expect(KINDS).toHaveLength(17);
    expect(new Set(KINDS).size).toBe(17);
  });

  it('links a secret reminder to the tenant secret or the personal secret it is about', () => {
    expect(itemLink(item('secret.expiring', TENANT, SECRET))?.to).toBe(`/tenants/${TENANT}/secrets/${SECRET}`);
    expect(itemLink(item('secret.rotation_due', null, SECRET))?.to).toBe(`/secrets/${SECRET}`);
  });

  it('links nowhere when there is nothing left to open', () => {
    expect(itemLink(item('secret.deleted', TENANT, SECRET))).toBeNull();
    expect(itemLink(item('secret.expired', TENANT, null))).toBeNull();
    expect(itemLink(item('member.added', null, 'u'))).toBeNull();
  });

  it('sends membership, webhook and account warnings to the screen that deals with them', () => {
    expect(itemLink(item('member.role_changed', TENANT, 'u'))?.to).toBe(`/tenants/${TENANT}/members`);
    expect(itemLink(item('webhook.disabled', TENANT, 'w'))?.to).toBe(`/tenants/${TENANT}/webhooks`);
    expect(itemLink(item('password.changed', null, 'u'))?.to).toBe('/sessions');
    expect(itemLink(item('connection.refresh_failed', TENANT, 'c'))?.to).toBe(`/connections/${TENANT}`);
  });
});
