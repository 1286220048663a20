import { Injectable } from '@nestjs/common';
import { BUILT_IN_TENANT_ROLES, IdentityRoleResolve, isBuiltInTenantRole, type CallContext } from '@lockwell/contracts';
import { RpcClient } from '@lockwell/service-kit';

/**
 * The permissions a tenant role grants: built-in roles from contracts, custom roles (by id) from identity.
 * A custom role identity does not know (deleted) grants nothing.
 */
@Injectable()
export class RoleCatalog {
  constructor(private readonly rpc: RpcClient) {}

  /** Permissions per role; a role missing from the map does not exist. */
  async permissionsOf(ctx: CallContext, roles: readonly string[]): Promise<Map<string, readonly string[]>> {
    const out = new Map<string, readonly string[]>();
    const custom = [...new Set(roles.filter((r) => !isBuiltInTenantRole(r)))];
    for (const r of roles) if (isBuiltInTenantRole(r)) out.set(r, BUILT_IN_TENANT_ROLES[r]);
    if (custom.length) {
      const { roles: resolved } = await this.rpc.request(IdentityRoleResolve, { role_ids: custom }, ctx);
      for (const r of resolved) out.set(r.id, r.permissions);
    }
    return out;
  }

  async permissionsOfRole(ctx: CallContext, role: string): Promise<readonly string[] | null> {
    return (await this.permissionsOf(ctx, [role])).get(role) ?? null;
  }
}
