import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { KeysetPosition } from '@lockwell/service-kit';
import { UserEntity, type UserStatus } from './user.entity.js';

// Replicas starting together create the bootstrap administrator once.
const BOOTSTRAP_LOCK = 7_120_426_202;

/** The `users` table. A user is their own scope: lookups are by id, or by the email a login presents. */
@Injectable()
export class UserRepository {
  find(em: EntityManager, userId: string): Promise<UserEntity | null> {
    return em.findOne(UserEntity, { id: userId });
  }

  /** The user with this (lower-cased) email, with the password hash loaded when asked (it is lazy otherwise). */
  findByEmail(em: EntityManager, email: string, opts: { withPasswordHash?: boolean } = {}): Promise<UserEntity | null> {
    return em.findOne(UserEntity, { email }, opts.withPasswordHash ? { populate: ['passwordHash'] } : {});
  }

  withPasswordHash(em: EntityManager, userId: string): Promise<UserEntity | null> {
    return em.findOne(UserEntity, { id: userId }, { populate: ['passwordHash'] });
  }

  async exists(em: EntityManager, userId: string): Promise<boolean> {
    return (await em.count(UserEntity, { id: userId })) > 0;
  }

  async emailTaken(em: EntityManager, email: string): Promise<boolean> {
    return (await em.count(UserEntity, { email })) > 0;
  }

  /** Users by id or by (lower-cased) email, exact matches. */
  byIdsOrEmails(em: EntityManager, userIds: string[], emails: string[]): Promise<UserEntity[]> {
    return em.find(UserEntity, { $or: [{ id: { $in: userIds } }, { email: { $in: emails } }] });
  }

  /** One keyset page ordered by (created_at, id), `limit + 1` rows (see pageFrom). */
  list(
    em: EntityManager,
    q: { email?: string; status?: UserStatus; after?: KeysetPosition; limit: number },
  ): Promise<UserEntity[]> {
    const where: Record<string, unknown> = {};
    if (q.email) where.email = q.email;
    if (q.status) where.status = q.status;
    if (q.after) where.$or = [{ createdAt: { $gt: q.after.at } }, { createdAt: q.after.at, id: { $gt: q.after.id } }];
    return em.find(UserEntity, where, { orderBy: { createdAt: 'asc', id: 'asc' }, limit: q.limit + 1 });
  }

  add(
    em: EntityManager,
    user: Pick<UserEntity, 'id' | 'email' | 'fullName' | 'passwordHash' | 'createdAt' | 'updatedAt'>,
  ): UserEntity {
    const entity = em.create(UserEntity, user);
    em.persist(entity);
    return entity;
  }

  /** Deletes the user; their roles, sessions, refresh tokens and API tokens go with them (ON DELETE CASCADE). */
  async delete(em: EntityManager, userId: string): Promise<void> {
    await em.nativeDelete(UserEntity, { id: userId });
  }

  /** Active users holding the built-in `admin` role, but `exceptUserId` (to refuse removing the last one). */
  async countActiveAdmins(em: EntityManager, exceptUserId?: string): Promise<number> {
    const [row] = await em.execute<{ n: string }[]>(
      `select count(distinct u.id) as n from users u join user_roles ur on ur.user_id = u.id join roles r on r.id = ur.role_id
       where r.built_in and r.name = 'admin' and u.status = 'active'${exceptUserId ? ' and u.id <> ?' : ''}`,
      exceptUserId ? [exceptUserId] : [],
    );
    return Number(row?.n ?? 0);
  }

  /** The active users holding the built-in `admin` role. */
  async activeAdmins(em: EntityManager): Promise<UserEntity[]> {
    const rows = await em.execute<{ id: string }[]>(
      `select distinct u.id from users u join user_roles ur on ur.user_id = u.id join roles r on r.id = ur.role_id
       where r.built_in and r.name = 'admin' and u.status = 'active'`,
    );
    return rows.length ? em.find(UserEntity, { id: { $in: rows.map((r) => r.id) } }, { orderBy: { id: 'asc' } }) : [];
  }

  /** Holds the bootstrap lock until the transaction ends (replicas starting together create one administrator). */
  async lockBootstrap(em: EntityManager): Promise<void> {
    await em.execute(`select pg_advisory_xact_lock(${BOOTSTRAP_LOCK})`);
  }
}
