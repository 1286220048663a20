import { GLOBAL_PERMISSIONS } from '@lockwell/contracts';
import { globalPermissionsOf, permissionsOf } from './role-permissions.js';

const role = (name: string, builtIn: boolean, permissions: string[] = []) => ({ name, builtIn, permissions });

describe('role permissions', () => {
  it("takes a built-in role's permissions from the catalogue, whatever its row says", () => {
    expect(permissionsOf(role('admin', true, []))).toEqual([...GLOBAL_PERMISSIONS]);
    expect(permissionsOf(role('member', true, ['users:manage']))).toEqual([]);
    // A built-in role the catalogue no longer has grants nothing, whatever its row says.
    expect(permissionsOf(role('auditor', true, ['users:read']))).toEqual([]);
  });

  it("takes a custom role's permissions from its row, as a copy", () => {
    const stored = ['secrets:read', 'users:read'];
    const got = permissionsOf(role('ops', false, stored));
    expect(got).toEqual(stored);
    got.push('users:manage');
    expect(stored).toEqual(['secrets:read', 'users:read']);
    expect(permissionsOf(role('admin', false, ['tenant:read']))).toEqual(['tenant:read']);
  });

  it('grants installation-wide only the global permissions of the roles, sorted and once each', () => {
    expect(
      globalPermissionsOf([
        role('ops', false, ['users:read', 'secrets:read', 'keys:rotate']),
        role('audit', false, ['users:read', 'audit:read-all']),
      ]),
    ).toEqual(['audit:read-all', 'keys:rotate', 'users:read']);
    expect(
      globalPermissionsOf([role('member', true), role('ops', false, ['secrets:write', 'members:manage'])]),
    ).toEqual([]);
    expect(globalPermissionsOf([role('admin', true)])).toEqual([...GLOBAL_PERMISSIONS].sort());
    expect(globalPermissionsOf([])).toEqual([]);
  });
});
