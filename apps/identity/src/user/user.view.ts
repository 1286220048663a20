import type { User } from '@lockwell/contracts';
import type { RoleEntity } from '../role/role.entity.js';
import type { UserEntity } from './user.entity.js';

/** The allowlisted response shape of a user: never the password hash. */
export const toUserView = (u: UserEntity, roles: RoleEntity[]): User => ({
  id: u.id,
  email: u.email,
  full_name: u.fullName,
  status: u.status,
  roles: roles.map((r) => ({ id: r.id, name: r.name })),
  created_at: u.createdAt.toISOString(),
  updated_at: u.updatedAt.toISOString(),
  last_login_at: u.lastLoginAt?.toISOString() ?? null,
});
