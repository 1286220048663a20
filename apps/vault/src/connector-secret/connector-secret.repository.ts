import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ConnectorSecretKind } from '@lockwell/contracts';
import type { KeyScope } from '../keys/scope.js';

export interface ConnectorSecretRow {
  id: string;
  kind: ConnectorSecretKind;
  scope_type: KeyScope['type'];
  scope_id: string;
  service_id: string;
  owner_id: string;
  name: string;
  current_version: number;
  updated_at: Date;
}

export interface SealedVersion {
  ciphertext: Buffer;
  data_key_version: number;
}

/**
 * The `connector_secrets` and `connector_secret_versions` tables: the connectors service's sealed items. Every
 * statement names the owner (a connection or a service) first, or the scope being crypto-shredded.
 */
@Injectable()
export class ConnectorSecretRepository {
  /** One item, row-locked until commit (writes to one item are serialised). */
  async lock(
    em: EntityManager,
    ownerId: string,
    kind: ConnectorSecretKind,
    name: string,
  ): Promise<ConnectorSecretRow | undefined> {
    const rows = await em.execute<ConnectorSecretRow[]>(
      `select * from connector_secrets where owner_id = ? and kind = ? and name = ? for update`,
      [ownerId, kind, name],
    );
    return rows[0];
  }

  /** Every item of an owner with its current ciphertext. */
  current(
    em: EntityManager,
    ownerId: string,
    kind: ConnectorSecretKind,
  ): Promise<(ConnectorSecretRow & SealedVersion)[]> {
    return em.execute(
      `select s.*, v.ciphertext, v.data_key_version from connector_secrets s
         join connector_secret_versions v on v.item_id = s.id and v.version = s.current_version
        where s.owner_id = ? and s.kind = ? order by s.name`,
      [ownerId, kind],
    );
  }

  list(
    em: EntityManager,
    ownerId: string,
    kind: ConnectorSecretKind,
  ): Promise<Pick<ConnectorSecretRow, 'name' | 'current_version' | 'updated_at'>[]> {
    return em.execute(
      `select name, current_version, updated_at from connector_secrets where owner_id = ? and kind = ? order by name`,
      [ownerId, kind],
    );
  }

  async insert(
    em: EntityManager,
    row: Omit<ConnectorSecretRow, 'current_version' | 'updated_at'>,
    now: Date,
  ): Promise<void> {
    await em.execute(
      `insert into connector_secrets (id, kind, scope_type, scope_id, service_id, owner_id, name, current_version, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, 0, ?, ?)`,
      [row.id, row.kind, row.scope_type, row.scope_id, row.service_id, row.owner_id, row.name, now, now],
    );
  }

  /** Adds `version` as the item's current one and drops versions older than the newest `keep`. */
  async addVersion(
    em: EntityManager,
    itemId: string,
    version: number,
    sealed: SealedVersion,
    now: Date,
    keep: number,
  ): Promise<void> {
    await em.execute(
      `insert into connector_secret_versions (item_id, version, ciphertext, data_key_version, created_at) values (?, ?, ?, ?, ?)`,
      [itemId, version, sealed.ciphertext, sealed.data_key_version, now],
    );
    await em.execute(`update connector_secrets set current_version = ?, updated_at = ? where id = ?`, [
      version,
      now,
      itemId,
    ]);
    await em.execute(`delete from connector_secret_versions where item_id = ? and version <= ?`, [
      itemId,
      version - keep,
    ]);
  }

  async deleteOwner(em: EntityManager, ownerId: string, kind: ConnectorSecretKind, serviceId: string): Promise<number> {
    const rows = await em.execute(
      `delete from connector_secrets where owner_id = ? and kind = ? and service_id = ? returning id`,
      [ownerId, kind, serviceId],
    );
    return rows.length;
  }

  async deleteService(em: EntityManager, serviceId: string): Promise<number> {
    const rows = await em.execute(`delete from connector_secrets where service_id = ? returning id`, [serviceId]);
    return rows.length;
  }

  /** Crypto-shredding of a tenant or user: their connections' tokens go with their data keys. */
  async deleteScope(em: EntityManager, scope: KeyScope): Promise<number> {
    const rows = await em.execute(`delete from connector_secrets where scope_type = ? and scope_id = ? returning id`, [
      scope.type,
      scope.id,
    ]);
    return rows.length;
  }
}
