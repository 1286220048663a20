import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { ErrorCode, type UserAccess, type UserSummary } from '@lockwell/contracts';
import { LockwellError } from '@lockwell/service-kit';
import { globalPermissionsOf } from '../role/role-permissions.js';
import { RoleService } from '../role/role.service.js';
import { UserRepository } from '../user/user.repository.js';

/** What the gateway needs to build a principal, and public user facts for other services. */
@Injectable()
export class AccessService {
  constructor(
    private readonly em: EntityManager,
    private readonly users: UserRepository,
    private readonly roles: RoleService,
  ) {}

  async access(userId: string): Promise<UserAccess> {
    const user = await this.users.find(this.em, userId);
    if (!user) throw new LockwellError(ErrorCode.USER_NOT_FOUND, 'User not found');
    const roles = (await this.roles.rolesOf(this.em, [user.id])).get(user.id)!;
    return {
      user_id: user.id,
      status: user.status,
      global_roles: roles.map((r) => r.name),
      global_permissions: globalPermissionsOf(roles),
      tokens_valid_after: user.tokensValidAfter?.toISOString() ?? null,
    };
  }

  async lookup(userIds: string[], emails: string[] = []): Promise<UserSummary[]> {
    if (!userIds.length && !emails.length) return [];
    // Emails are stored lower-cased (Email in contracts); an exact match, no pattern.
    const users = await this.users.byIdsOrEmails(
      this.em,
      userIds,
      emails.map((e) => e.trim().toLowerCase()),
    );
    return users.map((u) => ({ id: u.id, email: u.email, full_name: u.fullName, status: u.status }));
  }

  async administrators(): Promise<UserSummary[]> {
    const users = await this.users.activeAdmins(this.em);
    return users.map((u) => ({ id: u.id, email: u.email, full_name: u.fullName, status: u.status }));
  }
}
