import { BUILT_IN_TENANT_ROLES } from '@lockwell/contracts';
import { assertKeepsAnOwner, assertMayAssign } from './member-policy.js';

const owner = { role: 'owner', permissions: BUILT_IN_TENANT_ROLES.owner };
const admin = { role: 'admin', permissions: BUILT_IN_TENANT_ROLES.admin };
const custom = {
  role: '0f5d0a4e-3f55-4b0e-8d5b-0c8a3d1f2a10',
  permissions: ['tenant:read', 'members:read', 'members:manage'],
};

describe('assertMayAssign', () => {
  it('lets only an owner grant or revoke the owner role', () => {
    expect(() => assertMayAssign(owner, 'owner', BUILT_IN_TENANT_ROLES.owner)).not.toThrow();
    expect(() => assertMayAssign(admin, 'owner', BUILT_IN_TENANT_ROLES.owner)).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN' }),
    );
    expect(() => assertMayAssign(custom, 'owner', BUILT_IN_TENANT_ROLES.owner)).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN' }),
    );
  });

  it("needs owner power held by the caller itself: an owner's narrow API token grants or revokes no owner", () => {
    const ownersToken = { role: 'owner', permissions: ['tenant:read', 'members:read', 'members:manage'] };
    expect(() => assertMayAssign(ownersToken, 'owner', BUILT_IN_TENANT_ROLES.owner)).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN' }),
    );
    const fullToken = { role: 'owner', permissions: [...BUILT_IN_TENANT_ROLES.owner] };
    expect(() => assertMayAssign(fullToken, 'owner', BUILT_IN_TENANT_ROLES.owner)).not.toThrow();
    expect(() => assertMayAssign(ownersToken, 'admin', BUILT_IN_TENANT_ROLES.admin)).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN' }),
    );
  });

  it('lets an admin hand out admin, member and viewer', () => {
    for (const r of ['admin', 'member', 'viewer'] as const)
      expect(() => assertMayAssign(admin, r, BUILT_IN_TENANT_ROLES[r])).not.toThrow();
  });

  it('refuses a role with permissions the manager does not hold (no escalation through members:manage)', () => {
    expect(() => assertMayAssign(custom, 'admin', BUILT_IN_TENANT_ROLES.admin)).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN' }),
    );
    expect(() => assertMayAssign(custom, 'viewer', BUILT_IN_TENANT_ROLES.viewer)).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN' }),
    );
    expect(() => assertMayAssign(custom, 'x', ['tenant:read'])).not.toThrow();
  });

  it('lets a holder of secrets:read hand out an environment-limited secrets:read@staging, not the reverse', () => {
    expect(() => assertMayAssign(admin, 'x', ['secrets:read@staging', 'secrets:list'])).not.toThrow();
    const limited = { role: 'y', permissions: ['members:manage', 'secrets:read@staging'] };
    expect(() => assertMayAssign(limited, 'x', ['secrets:read@staging'])).not.toThrow();
    expect(() => assertMayAssign(limited, 'x', ['secrets:read'])).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN' }),
    );
    expect(() => assertMayAssign(limited, 'x', ['secrets:read@production'])).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN' }),
    );
  });
});

describe('assertKeepsAnOwner', () => {
  it('refuses to demote or remove the last owner with LAST_OWNER', () => {
    expect(() => assertKeepsAnOwner('owner', 'admin', 1)).toThrow(expect.objectContaining({ code: 'LAST_OWNER' }));
    expect(() => assertKeepsAnOwner('owner', null, 1)).toThrow(expect.objectContaining({ code: 'LAST_OWNER' }));
  });

  it('allows it when another owner remains, and never concerns non-owners', () => {
    expect(() => assertKeepsAnOwner('owner', null, 2)).not.toThrow();
    expect(() => assertKeepsAnOwner('owner', 'owner', 1)).not.toThrow();
    expect(() => assertKeepsAnOwner('admin', null, 1)).not.toThrow();
  });
});

describe("assertMayAssign: the owner role is the owners' alone", () => {
  it('refuses the owner role to a manager who holds every permission under another role', () => {
    const everything = { role: '0f5d0a4e-3f55-4b0e-8d5b-0c8a3d1f2a11', permissions: BUILT_IN_TENANT_ROLES.owner };
    expect(() => assertMayAssign(everything, 'owner', BUILT_IN_TENANT_ROLES.owner)).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN' }),
    );
    expect(() => assertMayAssign(everything, 'admin', BUILT_IN_TENANT_ROLES.admin)).not.toThrow();
  });
});
