import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import {
  ConnectionRevoked,
  ErrorCode,
  type CallContext,
  type Service,
  type ServiceCreateBody,
  type ServicePreset,
  type ServiceUpdateBody,
} from '@lockwell/contracts';
import {
  assertGlobalPermission,
  CLOCK,
  LockwellError,
  Outbox,
  type Clock,
  isUniqueViolation,
} from '@lockwell/service-kit';
import { randomUUID } from 'node:crypto';
import { CONNECTORS_SETTINGS, type ConnectorsSettings } from '../connectors-settings.js';
import { ConnectionRepository } from '../connection/connection.repository.js';
import { OAUTH_CLIENT, type OAuthClient } from '../oauth/oauth-client.port.js';
import { presetView } from '../presets/preset.js';
import { PRESETS } from '../presets/preset-registry.js';
import { ConnectorVault } from '../storage/connector-vault.js';
import { invalid } from '../service/endpoint-policy.js';
import { requiredCredentials } from '../service/provider-settings.js';
import { resolveServiceConfig, type ServiceConfigDeps } from './service-config.js';
import { ServiceRepository, type ServiceRow } from '../service/service.repository.js';
import { serviceView } from './service.view.js';

const notFound = () => new LockwellError(ErrorCode.SERVICE_NOT_FOUND, 'No such service');
const slugTaken = () =>
  new LockwellError(ErrorCode.SLUG_TAKEN, 'A service with this slug already exists', [
    { field: 'slug', issue: 'already taken' },
  ]);

/**
 * The admin registry (global permission services:manage): services, their credentials (in the vault) and the
 * preset catalogue. Every change is audited; credentials are never returned, only which ones are set.
 */
@Injectable()
export class ServiceAdminService {
  constructor(
    private readonly em: EntityManager,
    private readonly services: ServiceRepository,
    private readonly connections: ConnectionRepository,
    private readonly vault: ConnectorVault,
    private readonly outbox: Outbox,
    @Inject(OAUTH_CLIENT) private readonly oauth: OAuthClient,
    @Inject(CONNECTORS_SETTINGS) private readonly settings: ConnectorsSettings,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  presets(ctx: CallContext): ServicePreset[] {
    assertGlobalPermission(ctx, 'services:manage');
    return PRESETS.map(presetView);
  }

  async create(ctx: CallContext, body: ServiceCreateBody): Promise<Service> {
    const principal = assertGlobalPermission(ctx, 'services:manage');
    const config = await resolveServiceConfig(body.preset ?? null, null, body, this.configDeps());
    const name = body.name ?? (body.preset ? PRESETS.find((p) => p.id === body.preset)!.name : undefined);
    if (!name) throw invalid('name', 'required (or a preset)');
    const slug = body.slug ?? config.preset;
    if (!slug) throw invalid('slug', 'required (or a preset, whose id is the default slug)');
    const credentials = Object.entries(body.credentials ?? {});
    return withSlugConflicts(() =>
      this.em.transactional(async (em) => {
        if (await this.services.slugTaken(em, slug, null)) throw slugTaken();
        const now = this.clock.now();
        const row: ServiceRow = {
          id: randomUUID(),
          slug,
          name,
          description: body.description ?? null,
          ...config,
          credentials_set: [],
          created_at: now,
          updated_at: now,
          created_by: principal.userId,
        };
        await this.services.insert(em, row);
        // The credentials go to the vault inside this transaction: if the vault refuses, the service is not created.
        for (const [key, value] of credentials) await this.vault.putCredential(ctx, row.id, key, value);
        row.credentials_set = credentials.map(([key]) => key);
        await this.services.update(em, row);
        this.outbox.audit(em, ctx, {
          action: 'service.create',
          resourceType: 'service',
          resourceId: row.id,
          tenantId: null,
          detail: { slug, preset: row.preset, credentials_set: row.credentials_set },
        });
        await em.flush();
        return serviceView(row, this.settings.defaultRedirectUri);
      }),
    );
  }

  async list(ctx: CallContext): Promise<Service[]> {
    assertGlobalPermission(ctx, 'services:manage');
    return (await this.services.all(this.em)).map((row) => serviceView(row, this.settings.defaultRedirectUri));
  }

  async get(ctx: CallContext, serviceId: string): Promise<Service> {
    assertGlobalPermission(ctx, 'services:manage');
    const row = await this.services.byId(this.em, serviceId);
    if (!row) throw notFound();
    return serviceView(row, this.settings.defaultRedirectUri);
  }

  async update(ctx: CallContext, serviceId: string, changes: ServiceUpdateBody): Promise<Service> {
    assertGlobalPermission(ctx, 'services:manage');
    return withSlugConflicts(() =>
      this.em.transactional(async (em) => {
        const row = await this.services.byId(em, serviceId, { lock: true });
        if (!row) throw notFound();
        const config = await resolveServiceConfig(row.preset, row, changes, this.configDeps());
        if (
          changes.slug !== undefined &&
          changes.slug !== row.slug &&
          (await this.services.slugTaken(em, changes.slug, row.id))
        )
          throw slugTaken();
        const updated: ServiceRow = {
          ...row,
          ...config,
          name: changes.name ?? row.name,
          slug: changes.slug ?? row.slug,
          description: changes.description !== undefined ? changes.description : row.description,
          updated_at: this.clock.now(),
        };
        await this.services.update(em, updated);
        const fields = Object.keys(changes).filter((k) => changes[k as keyof ServiceUpdateBody] !== undefined);
        this.outbox.audit(em, ctx, {
          action: 'service.update',
          resourceType: 'service',
          resourceId: row.id,
          tenantId: null,
          detail: { fields },
        });
        await em.flush();
        return serviceView(updated, this.settings.defaultRedirectUri);
      }),
    );
  }

  /**
   * Removes the service with everything of it: pending authorisations, connections (each gets a
   * ConnectionRevoked) and, in the vault, its credentials, every connection's tokens and its data key.
   */
  async delete(ctx: CallContext, serviceId: string): Promise<{ deleted: true; connections_removed: number }> {
    assertGlobalPermission(ctx, 'services:manage');
    return this.em.transactional(async (em) => {
      const row = await this.services.byId(em, serviceId, { lock: true });
      if (!row) throw notFound();
      const connections = await this.connections.forService(em, serviceId);
      await this.vault.deleteService(ctx, serviceId);
      await this.services.delete(em, serviceId);
      for (const c of connections) {
        if (c.status === 'revoked') continue;
        this.outbox.emit(
          em,
          ConnectionRevoked,
          {
            connection_id: c.id,
            service_id: c.service_id,
            service_name: row.name,
            tenant_id: c.tenant_id,
            user_id: c.user_id,
            status: 'revoked',
            reason: 'service_deleted',
            previous_status: c.status,
          },
          c.tenant_id,
        );
      }
      this.outbox.audit(em, ctx, {
        action: 'service.delete',
        resourceType: 'service',
        resourceId: serviceId,
        tenantId: null,
        detail: { slug: row.slug, connections_removed: connections.length },
      });
      await em.flush();
      return { deleted: true as const, connections_removed: connections.length };
    });
  }

  async listSecrets(ctx: CallContext, serviceId: string) {
    assertGlobalPermission(ctx, 'services:manage');
    const row = await this.services.byId(this.em, serviceId);
    if (!row) throw notFound();
    const items = await this.vault.listCredentials(ctx, serviceId);
    return {
      items: items.map((i) => ({ secret_key_name: i.name, version: i.version, updated_at: i.updated_at })),
      missing: requiredCredentials(row).filter((n) => !items.some((i) => i.name === n)),
    };
  }

  async putSecret(ctx: CallContext, serviceId: string, name: string, value: string) {
    assertGlobalPermission(ctx, 'services:manage');
    return this.em.transactional(async (em) => {
      const row = await this.services.byId(em, serviceId, { lock: true });
      if (!row) throw notFound();
      const { version, updated_at } = await this.vault.putCredential(ctx, serviceId, name, value);
      if (!row.credentials_set.includes(name)) {
        row.credentials_set = [...row.credentials_set, name];
        row.updated_at = this.clock.now();
        await this.services.update(em, row);
      }
      this.outbox.audit(em, ctx, {
        action: 'service.secret.put',
        resourceType: 'service',
        resourceId: serviceId,
        tenantId: null,
        detail: { secret_key_name: name, version },
      });
      await em.flush();
      return { secret_key_name: name, version, updated_at };
    });
  }

  private configDeps(): ServiceConfigDeps {
    return {
      allowLoopbackHttp: this.settings.allowLoopbackHttp,
      defaultRedirectUri: this.settings.defaultRedirectUri,
      discover: (issuer) => this.oauth.discover(issuer),
    };
  }
}

// Two creates racing for one slug both pass the check; the unique index decides and the loser gets 409.
async function withSlugConflicts<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (isUniqueViolation(err)) throw slugTaken();
    throw err;
  }
}
