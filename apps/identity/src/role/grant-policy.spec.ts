import type { Principal } from '@lockwell/contracts';
import { assertHoldsGlobal, permissionChanges } from './grant-policy.js';

const caller = (globalPermissions: string[]): Principal => ({
  kind: 'user',
  userId: '11111111-1111-4111-8111-111111111111',
  tokenId: null,
  sessionId: null,
  globalRoles: [],
  globalPermissions,
  memberships: [],
});

describe('grant policy (no escalation of installation-wide power)', () => {
  it('refuses global permissions the caller does not hold, naming them, and ignores tenant permissions', () => {
    const manager = caller(['users:read', 'users:manage']);
    expect(() => assertHoldsGlobal(manager, ['users:read', 'tenant:read', 'secrets:read@staging'], 'x')).not.toThrow();
    expect(() => assertHoldsGlobal(manager, ['users:manage', 'keys:rotate', 'roles:manage'], 'x')).toThrow(
      expect.objectContaining({
        code: 'FORBIDDEN',
        details: [
          { field: 'permissions', issue: 'not held by you: keys:rotate' },
          { field: 'permissions', issue: 'not held by you: roles:manage' },
        ],
      }),
    );
    // Named once each and in a stable order, however the request lists them.
    expect(() => assertHoldsGlobal(manager, ['roles:manage', 'keys:rotate', 'roles:manage'], 'x')).toThrow(
      expect.objectContaining({
        details: [
          { field: 'permissions', issue: 'not held by you: keys:rotate' },
          { field: 'permissions', issue: 'not held by you: roles:manage' },
        ],
      }),
    );
  });

  it('tells what a change grants and what it takes away', () => {
    expect(permissionChanges(['a', 'b'], ['b', 'c'])).toEqual({ added: ['c'], removed: ['a'] });
    expect(permissionChanges(['a'], ['a'])).toEqual({ added: [], removed: [] });
  });
});
