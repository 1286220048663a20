import type { CallContext, Principal, PrincipalMembership } from '@lockwell/contracts';
import {
  authorizeEnvironmentMove,
  authorizeSecret,
  listableEnvironments,
  mayRead,
  personalScope,
  tenantScopeFor,
} from './secret-access.policy.js';
import type { SecretRow } from '../record/secret.row.js';

// Who may do what with a secret (docs/vault.md "Authorisation"). Each rule has a case that fails if it is
// removed or loosened: a wrong action mapping, a missing environment limit, a leak of existence.
const T1 = '11111111-1111-4111-8111-111111111111';
const T2 = '22222222-2222-4222-8222-222222222222';
const ALICE = '33333333-3333-4333-8333-333333333333';
const BOB = '44444444-4444-4444-8444-444444444444';

const ctx = (memberships: PrincipalMembership[] = [], extra: Partial<Principal> = {}): CallContext => ({
  requestId: 'r',
  ip: null,
  userAgent: null,
  principal: {
    kind: 'user',
    userId: ALICE,
    tokenId: null,
    sessionId: null,
    globalRoles: [],
    globalPermissions: [],
    memberships,
    ...extra,
  },
});
const anonymous: CallContext = { requestId: 'r', ip: null, userAgent: null, principal: null };
const in1 = (...permissions: string[]) => ctx([{ tenantId: T1, role: 'custom', permissions }]);
const token = (...permissions: string[]) =>
  ctx([{ tenantId: T1, role: 'custom', permissions }], {
    kind: 'api_token',
    tokenId: '55555555-5555-4555-8555-555555555555',
  });

const row = (over: Partial<SecretRow>): SecretRow =>
  ({ id: 's', scope_type: 'tenant', tenant_id: T1, owner_id: null, environment: 'production', ...over }) as SecretRow;
const tenantSecret = (environment = 'production') => row({ environment });
const personalSecret = (owner = ALICE) => row({ scope_type: 'user', tenant_id: null, owner_id: owner });

const outcome = (fn: () => unknown): string => {
  try {
    fn();
    return 'allowed';
  } catch (e) {
    return (e as { code: string }).code;
  }
};

describe('personalScope', () => {
  it("is the calling user's own space", () => {
    expect(personalScope(ctx())).toEqual({ type: 'user', id: ALICE });
  });
  it('refuses API tokens (FORBIDDEN) and anonymous calls (UNAUTHENTICATED)', () => {
    expect(outcome(() => personalScope(token('secrets:read')))).toBe('FORBIDDEN');
    expect(outcome(() => personalScope(anonymous))).toBe('UNAUTHENTICATED');
  });
});

describe('tenantScopeFor (create in a tenant)', () => {
  it('needs the permission of the action, in the environment', () => {
    expect(tenantScopeFor(in1('secrets:write'), T1, 'write', 'production')).toEqual({ type: 'tenant', id: T1 });
    expect(
      outcome(() => tenantScopeFor(in1('secrets:read', 'secrets:list', 'secrets:delete'), T1, 'write', 'production')),
    ).toBe('FORBIDDEN');
    expect(outcome(() => tenantScopeFor(in1('secrets:write@staging'), T1, 'write', 'production'))).toBe('FORBIDDEN');
    expect(outcome(() => tenantScopeFor(in1('secrets:write@staging'), T1, 'write', 'staging'))).toBe('allowed');
    expect(outcome(() => tenantScopeFor(in1('secrets:read'), T1, 'read', 'staging'))).toBe('allowed');
    expect(outcome(() => tenantScopeFor(in1('secrets:delete'), T1, 'delete', 'staging'))).toBe('allowed');
    expect(outcome(() => tenantScopeFor(in1('secrets:write'), T1, 'delete', 'staging'))).toBe('FORBIDDEN');
  });
  it('hides a tenant the caller does not belong to', () => {
    expect(outcome(() => tenantScopeFor(in1('secrets:write'), T2, 'write', 'production'))).toBe('TENANT_NOT_FOUND');
  });
});

describe('authorizeSecret', () => {
  it('lets only the owner at a personal secret; others do not learn it exists; tokens are refused', () => {
    for (const action of ['read', 'write', 'delete', 'metadata'] as const) {
      expect(outcome(() => authorizeSecret(ctx(), personalSecret(), action))).toBe('allowed');
      expect(outcome(() => authorizeSecret(ctx(), personalSecret(BOB), action))).toBe('SECRET_NOT_FOUND');
      expect(outcome(() => authorizeSecret(token('secrets:read'), personalSecret(), action))).toBe('FORBIDDEN');
    }
  });

  it('maps read, write and delete to their own permission', () => {
    const cases: [string[], string, string][] = [
      [['secrets:read'], 'read', 'allowed'],
      [['secrets:read'], 'write', 'FORBIDDEN'],
      [['secrets:read'], 'delete', 'FORBIDDEN'],
      [['secrets:write'], 'write', 'allowed'],
      [['secrets:write'], 'read', 'FORBIDDEN'],
      [['secrets:write'], 'delete', 'FORBIDDEN'],
      [['secrets:delete'], 'delete', 'allowed'],
      [['secrets:delete'], 'read', 'FORBIDDEN'],
      [['secrets:list'], 'read', 'FORBIDDEN'],
    ];
    for (const [permissions, action, expected] of cases) {
      expect({
        permissions,
        action,
        got: outcome(() => authorizeSecret(in1(...permissions), tenantSecret(), action as 'read')),
      }).toEqual({ permissions, action, got: expected });
    }
  });

  it("honours environment limits on the secret's environment", () => {
    expect(outcome(() => authorizeSecret(in1('secrets:read@staging'), tenantSecret('staging'), 'read'))).toBe(
      'allowed',
    );
    expect(outcome(() => authorizeSecret(in1('secrets:read@staging'), tenantSecret('production'), 'read'))).toBe(
      'FORBIDDEN',
    );
  });

  it('answers SECRET_NOT_FOUND to a non-member for every action', () => {
    const outsider = ctx([
      { tenantId: T2, role: 'owner', permissions: ['secrets:read', 'secrets:list', 'secrets:write', 'secrets:delete'] },
    ]);
    for (const action of ['read', 'write', 'delete', 'metadata'] as const)
      expect(outcome(() => authorizeSecret(outsider, tenantSecret(), action))).toBe('SECRET_NOT_FOUND');
  });

  it('shows metadata to holders of list or read (possibly environment-limited), not to writers', () => {
    expect(outcome(() => authorizeSecret(in1('secrets:list'), tenantSecret(), 'metadata'))).toBe('allowed');
    expect(outcome(() => authorizeSecret(in1('secrets:read'), tenantSecret(), 'metadata'))).toBe('allowed');
    expect(outcome(() => authorizeSecret(in1('secrets:list@staging'), tenantSecret('staging'), 'metadata'))).toBe(
      'allowed',
    );
    expect(outcome(() => authorizeSecret(in1('secrets:read@staging'), tenantSecret('staging'), 'metadata'))).toBe(
      'allowed',
    );
    expect(
      outcome(() =>
        authorizeSecret(in1('secrets:list@staging', 'secrets:read@staging'), tenantSecret('production'), 'metadata'),
      ),
    ).toBe('FORBIDDEN');
    expect(outcome(() => authorizeSecret(in1('secrets:write', 'secrets:delete'), tenantSecret(), 'metadata'))).toBe(
      'FORBIDDEN',
    );
  });

  it('needs a principal', () => {
    expect(outcome(() => authorizeSecret(anonymous, tenantSecret(), 'metadata'))).toBe('UNAUTHENTICATED');
  });
});

describe('authorizeEnvironmentMove (no escalation through a move)', () => {
  const move = (c: CallContext, from: string, to: string) =>
    outcome(() => authorizeEnvironmentMove(c, tenantSecret(from), to));
  it('needs read and write in both environments', () => {
    expect(move(in1('secrets:read', 'secrets:write'), 'staging', 'production')).toBe('allowed');
    expect(
      move(
        in1('secrets:read@staging', 'secrets:write@staging', 'secrets:read@production', 'secrets:write@production'),
        'staging',
        'production',
      ),
    ).toBe('allowed');
    // Pushing into an environment it may not write, or pulling out of one it may not read: refused.
    expect(move(in1('secrets:read', 'secrets:write@staging'), 'staging', 'production')).toBe('FORBIDDEN');
    expect(move(in1('secrets:read@staging', 'secrets:write', 'secrets:read@production'), 'production', 'staging')).toBe(
      'allowed',
    );
    expect(move(in1('secrets:read@staging', 'secrets:write'), 'production', 'staging')).toBe('FORBIDDEN');
    expect(move(in1('secrets:write'), 'staging', 'production')).toBe('FORBIDDEN');
    expect(move(in1('secrets:read'), 'staging', 'production')).toBe('FORBIDDEN');
  });
  it('checks nothing more when the environment stays, and never applies to personal secrets', () => {
    expect(move(in1(), 'production', 'production')).toBe('allowed');
    expect(outcome(() => authorizeEnvironmentMove(in1(), personalSecret(), 'production'))).toBe('allowed');
    // Who may touch a personal secret at all is authorizeSecret's question, not the move's.
    expect(outcome(() => authorizeEnvironmentMove(in1(), personalSecret(BOB), 'staging'))).toBe('allowed');
  });
  it('hides the secret from a non-member', () => {
    expect(
      move(
        ctx([{ tenantId: T2, role: 'custom', permissions: ['secrets:read', 'secrets:write'] }]),
        'staging',
        'production',
      ),
    ).toBe('SECRET_NOT_FOUND');
  });
});

describe('mayRead', () => {
  it('is true exactly when a read would be allowed', () => {
    expect(mayRead(in1('secrets:read'), tenantSecret())).toBe(true);
    expect(mayRead(in1('secrets:write', 'secrets:list'), tenantSecret())).toBe(false);
    expect(mayRead(ctx(), personalSecret(BOB))).toBe(false);
  });
});

describe('listableEnvironments', () => {
  it('is every environment (null) for an unlimited list or read grant', () => {
    expect(listableEnvironments(in1('secrets:list'), T1)).toBeNull();
    expect(listableEnvironments(in1('secrets:read'), T1)).toBeNull();
  });
  it('is the named environments, once each, for limited grants', () => {
    expect(
      listableEnvironments(
        in1('secrets:list@staging', 'secrets:read@dev', 'secrets:read@staging', 'secrets:write@prod'),
        T1,
      ),
    ).toEqual(['staging', 'dev']);
  });
  it('refuses a member who may neither list nor read, and hides the tenant from others', () => {
    expect(outcome(() => listableEnvironments(in1('secrets:write', 'secrets:delete', 'tenant:read'), T1))).toBe(
      'FORBIDDEN',
    );
    expect(outcome(() => listableEnvironments(in1('secrets:list'), T2))).toBe('TENANT_NOT_FOUND');
    expect(outcome(() => listableEnvironments(anonymous, T1))).toBe('UNAUTHENTICATED');
  });
});
