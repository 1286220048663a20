import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { KeyScope } from './scope.js';

/** The `purged_scopes` table: crypto-shredded tenants and users, which never get a data key (or a secret) again. */
@Injectable()
export class PurgedScopeRepository {
  async isPurged(em: EntityManager, scope: KeyScope): Promise<boolean> {
    const rows = await em.execute(`select 1 from purged_scopes where scope_type = ? and scope_id = ?`, [
      scope.type,
      scope.id,
    ]);
    return rows.length > 0;
  }

  async add(em: EntityManager, scope: KeyScope, at: Date): Promise<void> {
    await em.execute(
      `insert into purged_scopes (scope_type, scope_id, purged_at) values (?, ?, ?) on conflict do nothing`,
      [scope.type, scope.id, at.toISOString()],
    );
  }
}
