import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ProviderSettings } from '../oauth/oauth-client.port.js';

/** The protocol part of a service (everything but its name, slug, description and bookkeeping). */
export interface ServiceConfig extends Omit<ProviderSettings, 'redirect_uri'> {
  preset: string | null;
  preset_params: Record<string, string>;
  scopes: string[];
  /** null: the installation's default callback (docs/connectors.md). */
  redirect_uri: string | null;
}

/** A registered service as stored (no credential: those are in the vault; `credentials_set` mirrors their names). */
export interface ServiceRow extends ServiceConfig {
  id: string;
  slug: string;
  name: string;
  description: string | null;
  credentials_set: string[];
  created_at: Date;
  updated_at: Date;
  created_by: string | null;
}

const JSON_COLUMNS = ['preset_params', 'scopes', 'extra_auth_params', 'quirks', 'credentials_set'] as const;
const COLUMNS = [
  'id',
  'slug',
  'name',
  'description',
  'preset',
  'preset_params',
  'protocol',
  'authorization_url',
  'token_url',
  'revocation_url',
  'issuer',
  'jwks_uri',
  'scopes',
  'redirect_uri',
  'extra_auth_params',
  'quirks',
  'credentials_set',
  'created_at',
  'updated_at',
  'created_by',
] as const;

const valueOf = (row: ServiceRow, column: (typeof COLUMNS)[number]) =>
  (JSON_COLUMNS as readonly string[]).includes(column) ? JSON.stringify(row[column]) : row[column];

/**
 * The `services` table. Services are installation-wide (no tenant or owner to name first): administrators
 * manage them, everyone reads the ready ones. Lookups by id come before any authorisation of a connection
 * that names the service.
 */
@Injectable()
export class ServiceRepository {
  async byId(em: EntityManager, id: string, opts: { lock?: boolean } = {}): Promise<ServiceRow | undefined> {
    const rows = await em.execute<ServiceRow[]>(
      `select * from services where id = ?${opts.lock ? ' for update' : ''}`,
      [id],
    );
    return rows[0];
  }

  async slugTaken(em: EntityManager, slug: string, exceptId: string | null): Promise<boolean> {
    const rows = await em.execute(`select 1 from services where slug = ? and id is distinct from ?`, [slug, exceptId]);
    return rows.length > 0;
  }

  all(em: EntityManager): Promise<ServiceRow[]> {
    return em.execute<ServiceRow[]>(`select * from services order by created_at, id`);
  }

  async insert(em: EntityManager, row: ServiceRow): Promise<void> {
    await em.execute(
      `insert into services (${COLUMNS.join(', ')}) values (${COLUMNS.map((c) => ((JSON_COLUMNS as readonly string[]).includes(c) ? '?::jsonb' : '?')).join(', ')})`,
      COLUMNS.map((c) => valueOf(row, c)),
    );
  }

  async update(em: EntityManager, row: ServiceRow): Promise<void> {
    const changing = COLUMNS.filter((c) => c !== 'id' && c !== 'created_at' && c !== 'created_by');
    await em.execute(
      `update services set ${changing.map((c) => `${c} = ?${(JSON_COLUMNS as readonly string[]).includes(c) ? '::jsonb' : ''}`).join(', ')} where id = ?`,
      [...changing.map((c) => valueOf(row, c)), row.id],
    );
  }

  async delete(em: EntityManager, id: string): Promise<void> {
    await em.execute(`delete from services where id = ?`, [id]);
  }
}
