import { intersectPermissions, type Principal } from '@lockwell/contracts';
import { permissionsBeyondCreator } from './api-token-permissions.js';

const T1 = '11111111-1111-4111-8111-111111111111';
const T2 = '22222222-2222-4222-8222-222222222222';
const creator: Principal = {
  kind: 'user',
  userId: '33333333-3333-4333-8333-333333333333',
  tokenId: null,
  sessionId: null,
  globalRoles: ['auditor'],
  globalPermissions: ['users:read'],
  memberships: [
    { tenantId: T1, role: 'member', permissions: ['tenant:read', 'secrets:read', 'secrets:write'] },
    { tenantId: T2, role: 'custom', permissions: ['secrets:read@staging'] },
  ],
};

describe('API token permissions never exceed the creator', () => {
  it('refuses global permissions the creator lacks', () => {
    expect(permissionsBeyondCreator(creator, ['users:read'], null)).toEqual([]);
    expect(permissionsBeyondCreator(creator, ['users:manage', 'keys:rotate'], null)).toEqual([
      'users:manage',
      'keys:rotate',
    ]);
  });

  it('checks tenant permissions against the bound tenant only', () => {
    expect(permissionsBeyondCreator(creator, ['secrets:write'], T1)).toEqual([]);
    expect(permissionsBeyondCreator(creator, ['secrets:write'], T2)).toEqual(['secrets:write']);
    expect(permissionsBeyondCreator(creator, ['secrets:read@staging'], T2)).toEqual([]);
    expect(permissionsBeyondCreator(creator, ['secrets:read'], T2)).toEqual(['secrets:read']);
    expect(permissionsBeyondCreator(creator, ['tenant:read'], '44444444-4444-4444-8444-444444444444')).toEqual([
      'tenant:read',
    ]);
  });

  it('accepts an unbound tenant permission held in at least one membership', () => {
    expect(permissionsBeyondCreator(creator, ['secrets:read@production', 'tenant:read'], null)).toEqual([]);
    expect(permissionsBeyondCreator(creator, ['members:manage'], null)).toEqual(['members:manage']);
  });
});

describe('intersectPermissions (resolution time)', () => {
  it('keeps what both hold, narrowing an unlimited grant to the held environments', () => {
    expect(intersectPermissions(['secrets:read', 'secrets:write'], ['secrets:read'])).toEqual(['secrets:read']);
    expect(intersectPermissions(['secrets:read'], ['secrets:read@staging', 'secrets:read@dev'])).toEqual([
      'secrets:read@dev',
      'secrets:read@staging',
    ]);
    expect(intersectPermissions(['secrets:read@staging'], ['secrets:read'])).toEqual(['secrets:read@staging']);
    expect(intersectPermissions(['secrets:read@prod'], ['secrets:read@staging'])).toEqual([]);
    expect(intersectPermissions(['users:manage'], [])).toEqual([]);
  });
});

describe('API token permissions: edge cases', () => {
  it('checks an environment-limited request against the limit, and global names never against memberships', () => {
    expect(permissionsBeyondCreator(creator, ['secrets:read@staging'], null)).toEqual([]);
    expect(permissionsBeyondCreator(creator, ['secrets:write@staging'], T2)).toEqual(['secrets:write@staging']);
    const tenantAdmin = {
      ...creator,
      globalPermissions: [],
      memberships: [{ tenantId: T1, role: 'owner', permissions: ['users:manage', 'secrets:read'] }],
    };
    expect(permissionsBeyondCreator(tenantAdmin, ['users:manage'], T1)).toEqual(['users:manage']);
    expect(permissionsBeyondCreator({ ...creator, memberships: [] }, ['tenant:read'], null)).toEqual(['tenant:read']);
    expect(permissionsBeyondCreator(creator, [], T1)).toEqual([]);
  });
});
