import { Entity, PrimaryKey } from '@mikro-orm/decorators/legacy';

/** A user's installation-wide role (built-in admin/member/viewer or a custom role). */
@Entity({ tableName: 'user_roles' })
export class UserRoleEntity {
  @PrimaryKey({ type: 'uuid' })
  userId!: string;

  @PrimaryKey({ type: 'uuid' })
  roleId!: string;
}
