import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';

/** A pending authorisation: who started it, for what, and its sealed PKCE verifier and nonce (never the state itself). */
export interface AuthorizationRequestRow {
  state_hash: string;
  service_id: string;
  user_id: string;
  tenant_id: string | null;
  scopes: string[];
  sealed_checks: Buffer;
  binding_hash: string | null;
  return_to: string | null;
  created_at: Date;
  expires_at: Date;
  used_at: Date | null;
}

/**
 * The `authorization_requests` table. A pending authorisation is found only by the hash of its state, a
 * single-use secret that names its user and tenant: the callback then checks those (and audits a mismatch).
 */
@Injectable()
export class AuthorizationRequestRepository {
  async insert(em: EntityManager, row: Omit<AuthorizationRequestRow, 'used_at'>): Promise<void> {
    await em.execute(
      `insert into authorization_requests (state_hash, service_id, user_id, tenant_id, scopes, sealed_checks, binding_hash, return_to, created_at, expires_at)
       values (?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?)`,
      [
        row.state_hash,
        row.service_id,
        row.user_id,
        row.tenant_id,
        JSON.stringify(row.scopes),
        row.sealed_checks,
        row.binding_hash,
        row.return_to,
        row.created_at,
        row.expires_at,
      ],
    );
  }

  async byStateHash(em: EntityManager, stateHash: string): Promise<AuthorizationRequestRow | undefined> {
    const rows = await em.execute<AuthorizationRequestRow[]>(
      `select * from authorization_requests where state_hash = ?`,
      [stateHash],
    );
    return rows[0];
  }

  /** Marks the request used; false when someone else already did (a replayed callback): single use (OC-1). */
  async consume(em: EntityManager, stateHash: string, now: Date): Promise<boolean> {
    const rows = await em.execute(
      `update authorization_requests set used_at = ? where state_hash = ? and used_at is null returning state_hash`,
      [now, stateHash],
    );
    return rows.length > 0;
  }

  /** Forgets requests that expired more than a day ago (kept that long so a late replay is still told "reused"/"expired"). */
  async purgeOld(em: EntityManager, before: Date): Promise<number> {
    const rows = await em.execute(`delete from authorization_requests where expires_at < ? returning state_hash`, [
      before,
    ]);
    return rows.length;
  }

  async deleteAllOfTenant(em: EntityManager, tenantId: string): Promise<void> {
    await em.execute(`delete from authorization_requests where tenant_id = ?`, [tenantId]);
  }

  async deleteAllOfUser(em: EntityManager, userId: string): Promise<void> {
    await em.execute(`delete from authorization_requests where user_id = ?`, [userId]);
  }
}
