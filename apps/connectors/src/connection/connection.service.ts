import { Inject, Injectable, Logger } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import {
  ConnectionRevoked,
  ErrorCode,
  type CallContext,
  type Connection,
  type Page,
  type RpcRequestParsed,
  type RpcResponse,
  type ConnectorsCatalogList,
  type ConnectorsConnectionDisconnect,
  type ConnectorsConnectionList,
} from '@lockwell/contracts';
import {
  CLOCK,
  decodeCursor,
  LockwellError,
  Outbox,
  pageFrom,
  requirePrincipal,
  type Clock,
} from '@lockwell/service-kit';
import { CONNECTORS_SETTINGS, type ConnectorsSettings } from '../connectors-settings.js';
import { OAUTH_CLIENT, ProviderError, type OAuthClient } from '../oauth/oauth-client.port.js';
import { isReady, providerSettingsOf } from '../service/provider-settings.js';
import { ServiceRepository } from '../service/service.repository.js';
import { ConnectorVault } from '../storage/connector-vault.js';
import { assertMayConnect, assertMayUse, reachOf, tenantsUsable } from './connection-access.policy.js';
import { ConnectionRepository } from './connection.repository.js';
import { connectionView, eventDataOf } from './connection.view.js';

type ProviderRevocation = RpcResponse<typeof ConnectorsConnectionDisconnect>['provider_revocation'];

/** What users see of connections: the services they may connect, their connections, and disconnecting. */
@Injectable()
export class ConnectionService {
  private readonly logger = new Logger('Connections');

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

  /** GET /services: every service users can connect, with the caller's connection (personal, or in `tenant_id`). */
  async catalog(
    ctx: CallContext,
    req: RpcRequestParsed<typeof ConnectorsCatalogList>,
  ): Promise<RpcResponse<typeof ConnectorsCatalogList>> {
    const tenantId = req.tenant_id ?? null;
    // Looking at a tenant's connections needs what connecting there needs; personally, an API token has nothing to see.
    const principal = tenantId === null ? requirePrincipal(ctx) : assertMayConnect(ctx, tenantId);
    const services = (await this.services.all(this.em)).filter(isReady);
    const mine =
      principal.kind === 'api_token' && tenantId === null
        ? []
        : await this.connections.visible(this.em, principal.userId, tenantId ? [tenantId] : [], {
            personal: tenantId === null,
            limit: 10_000,
          });
    return {
      items: services.map((s) => {
        const c = mine.find((m) => m.service_id === s.id && m.user_id === principal.userId);
        return {
          id: s.id,
          name: s.name,
          slug: s.slug,
          description: s.description,
          protocol: s.protocol,
          scopes: s.scopes,
          connection: c
            ? {
                id: c.id,
                status: c.status,
                scopes: c.scopes,
                expires_at: c.expires_at ? new Date(c.expires_at).toISOString() : null,
              }
            : null,
        };
      }),
    };
  }

  /** The caller's personal connections and those of every tenant where they may use connections. */
  async list(ctx: CallContext, q: RpcRequestParsed<typeof ConnectorsConnectionList>): Promise<Page<Connection>> {
    const principal = requirePrincipal(ctx);
    let tenantIds = tenantsUsable(principal);
    if (q.tenant_id) {
      assertMayConnect(ctx, q.tenant_id);
      tenantIds = [q.tenant_id];
    }
    const rows = await this.connections.visible(this.em, principal.userId, tenantIds, {
      personal: principal.kind === 'user' && !q.tenant_id,
      serviceId: q.service_id,
      status: q.status,
      after: q.cursor ? decodeCursor(q.cursor) : undefined,
      limit: q.limit,
    });
    const page = pageFrom(rows, q.limit, (r) => ({ at: new Date(r.created_at), id: r.id }));
    return { items: page.rows.map(connectionView), next_cursor: page.next_cursor };
  }

  /**
   * Disconnect (OC-8): revoke at the provider where it has an RFC 7009 endpoint (the refresh token, which
   * takes the grant with it), then crypto-shred the tokens in the vault. The connection stays listed as
   * `revoked` (a reconnect reuses its id); disconnecting a revoked connection removes it.
   */
  async disconnect(
    ctx: CallContext,
    connectionId: string,
  ): Promise<RpcResponse<typeof ConnectorsConnectionDisconnect>> {
    const found = await this.connections.find(this.em, reachOf(requirePrincipal(ctx)), connectionId);
    if (!found) throw new LockwellError(ErrorCode.CONNECTION_NOT_FOUND, 'No such connection');
    assertMayUse(ctx, found);
    if (found.status === 'revoked') {
      await this.em.transactional(async (em) => {
        await this.connections.delete(em, found);
        this.outbox.audit(em, ctx, {
          action: 'connection.remove',
          resourceType: 'connection',
          resourceId: found.id,
          tenantId: found.tenant_id,
          detail: { service_id: found.service_id },
        });
        await em.flush();
      });
      return { connection_id: found.id, status: 'removed', provider_revocation: 'not_needed' };
    }
    const revocation = await this.revokeAtProvider(ctx, found);
    await this.em.transactional(async (em) => {
      const conn = await this.connections.reread(em, found, { lock: true });
      // Stryker disable next-line ConditionalExpression: a concurrent disconnect removed it between the two reads
      if (!conn) return;
      await this.vault.deleteTokens(ctx, conn);
      await this.connections.markFailed(em, conn, 'revoked', 'disconnected', this.clock.now());
      this.outbox.emit(
        em,
        ConnectionRevoked,
        { ...eventDataOf(conn), status: 'revoked', reason: 'disconnected', previous_status: conn.status },
        conn.tenant_id,
      );
      this.outbox.audit(em, ctx, {
        action: 'connection.disconnect',
        resourceType: 'connection',
        resourceId: conn.id,
        tenantId: conn.tenant_id,
        detail: { service_id: conn.service_id, provider_revocation: revocation },
      });
      await em.flush();
    });
    return { connection_id: found.id, status: 'revoked', provider_revocation: revocation };
  }

  private async revokeAtProvider(
    ctx: CallContext,
    conn: { id: string; service_id: string; user_id: string; tenant_id: string | null },
  ): Promise<ProviderRevocation> {
    const service = (await this.services.byId(this.em, conn.service_id))!;
    if (!service.revocation_url) return 'not_supported';
    const stored = await this.vault.tokens(ctx, conn);
    if (!stored) return 'not_needed';
    const credentials = await this.vault.credentials(ctx, service.id);
    const token = stored.tokens.refresh_token ?? stored.tokens.access_token;
    try {
      await this.oauth.revoke(
        providerSettingsOf(service, this.settings.defaultRedirectUri),
        { client_id: credentials.client_id!, client_secret: credentials.client_secret ?? null },
        token,
        stored.tokens.refresh_token ? 'refresh_token' : 'access_token',
      );
      return 'revoked';
    } catch (err) {
      if (!(err instanceof ProviderError)) throw err;
      // The user asked to disconnect: the tokens are destroyed here regardless, and the failure is reported.
      this.logger.warn(`revocation for connection ${conn.id} failed: ${err.message}`);
      return 'failed';
    }
  }
}
