import { Inject, Injectable, Logger } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ConnectionRefreshFailed, ErrorCode, type CallContext, type ProviderQuirks } from '@lockwell/contracts';
import { CLOCK, LockwellError, Outbox, outsideCallDeadline, type Clock } from '@lockwell/service-kit';
import { CONNECTORS_SETTINGS, type ConnectorsSettings } from '../connectors-settings.js';
import {
  ConnectionRepository,
  type ConnectionListRow,
  type ConnectionRef,
} from '../connection/connection.repository.js';
import { eventDataOf } from '../connection/connection.view.js';
import { OAUTH_CLIENT, ProviderError, type OAuthClient } from '../oauth/oauth-client.port.js';
import { providerSettingsOf } from '../service/provider-settings.js';
import { ServiceRepository } from '../service/service.repository.js';
import { ConnectorVault } from '../storage/connector-vault.js';
import { backoffUntil, isFresh, isUnexpired, proactiveRefreshAt } from '../tokens/refresh-timing.js';
import { storedTokensFrom, type StoredTokens } from '../tokens/stored-tokens.js';

/**
 * `tokens`: valid tokens (refreshed here, or by whoever held the lock before). `dead`: the connection needs its
 * owner (refresh_failed, revoked, gone). `transient`: the provider failed in a way worth retrying; the
 * connection stays connected and `tokens` are the old ones. `busy`: another replica kept the lock past the wait.
 */
export type RefreshOutcome =
  | { kind: 'tokens'; tokens: StoredTokens }
  | { kind: 'dead' }
  | { kind: 'transient'; error: ProviderError; tokens: StoredTokens }
  | { kind: 'busy' };

/** `on-demand`: a hand-out found the token inside its margin. `scheduled`: the proactive pass claimed it. */
export type RefreshMode = 'on-demand' | 'scheduled';

// Besides the preset's own codes, RFC 6749 §5.2 says these two mean the grant cannot be used again.
const DEAD_GRANT = ['invalid_grant', 'unauthorized_client'];
const LOCK_POLL_MS = 40;
// How long a refreshed pair waits for an unavailable vault (below PostgreSQL's 60 s idle-in-transaction limit,
// which would end the transaction holding the refresh lock).
const STORE_RETRY_MS = 30_000;

export const isDeadGrant = (err: ProviderError, quirks: ProviderQuirks): boolean =>
  err.kind === 'refused' &&
  err.providerCode !== null &&
  [...DEAD_GRANT, ...quirks.dead_grant_errors].includes(err.providerCode);

/**
 * Refreshes a connection's tokens, once at a time per connection across requests and replicas (OC-5): callers in
 * this process share one promise; across processes a PostgreSQL advisory lock (transaction-scoped, so a crashed
 * holder releases it) admits one refresher, which re-reads the tokens under the lock (someone may have refreshed
 * them meanwhile), calls the provider, and stores the new pair in the vault with a version check before anyone
 * can see the new access token. The work runs outside the caller's deadline: a refresh the provider has answered
 * is always stored, even when the request that asked for it has given up.
 */
@Injectable()
export class Refresher {
  private readonly logger = new Logger('Refresher');
  private readonly inflight = new Map<string, Promise<RefreshOutcome>>();

  constructor(
    private readonly orm: MikroORM,
    private readonly connections: ConnectionRepository,
    private readonly services: ServiceRepository,
    private readonly vault: ConnectorVault,
    private readonly outbox: Outbox,
    @Inject(OAUTH_CLIENT) private readonly oauth: OAuthClient,
    @Inject(CONNECTORS_SETTINGS) private readonly settings: ConnectorsSettings,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Refreshes (or finds refreshed) the connection's tokens; waits for another replica's lock until `waitUntil`. */
  refresh(connection: ConnectionRef, ctx: CallContext, mode: RefreshMode, waitUntil: number): Promise<RefreshOutcome> {
    let flight = this.inflight.get(connection.id);
    if (!flight) {
      flight = outsideCallDeadline(() => this.acrossReplicas(connection, ctx, mode, waitUntil)).finally(() =>
        this.inflight.delete(connection.id),
      );
      this.inflight.set(connection.id, flight);
    }
    return flight;
  }

  private async acrossReplicas(
    connection: ConnectionRef,
    ctx: CallContext,
    mode: RefreshMode,
    waitUntil: number,
  ): Promise<RefreshOutcome> {
    for (;;) {
      const outcome = await (this.orm.em.fork() as EntityManager).transactional(async (em) => {
        return (await this.connections.tryLockRefresh(em, connection))
          ? this.underLock(em, connection, ctx, mode)
          : null;
      });
      if (outcome) return outcome;
      if (Date.now() >= waitUntil) return { kind: 'busy' };
      await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS * (1 + Math.random())));
    }
  }

  private async underLock(
    em: EntityManager,
    connection: ConnectionRef,
    ctx: CallContext,
    mode: RefreshMode,
  ): Promise<RefreshOutcome> {
    const conn = await this.connections.reread(em, connection);
    if (!conn || conn.status !== 'connected') return { kind: 'dead' };
    const stored = await this.vault.tokens(ctx, conn);
    if (!stored) return this.fail(em, ctx, conn, 'no_tokens');
    const now = this.clock.now();
    const { tokens, version } = stored;
    // Re-read under the lock: whoever held it before may have refreshed already (then there is nothing to do).
    if (!needsRefresh(tokens, now, mode)) return { kind: 'tokens', tokens };
    if (tokens.refresh_token === null)
      return isUnexpired(tokens, now) ? { kind: 'tokens', tokens } : this.fail(em, ctx, conn, 'no_refresh_token');

    const service = (await this.services.byId(em, conn.service_id))!;
    const credentials = await this.vault.credentials(ctx, service.id);
    let response;
    try {
      response = await this.oauth.refresh(
        providerSettingsOf(service, this.settings.defaultRedirectUri),
        { client_id: credentials.client_id!, client_secret: credentials.client_secret ?? null },
        tokens.refresh_token,
      );
    } catch (err) {
      if (!(err instanceof ProviderError)) throw err;
      if (isDeadGrant(err, service.quirks)) return this.fail(em, ctx, conn, err.providerCode!);
      // Network, timeout, 429, 5xx, or a refusal that is not about the grant (e.g. invalid_client while an
      // administrator fixes the credentials): keep the connection, try again later with capped backoff.
      const retryAt = backoffUntil(conn.refresh_attempts, now);
      await this.connections.retryLater(em, conn, err.providerCode ?? err.kind, retryAt, now);
      this.outbox.audit(em, ctx, {
        action: 'connection.refresh',
        resourceType: 'connection',
        resourceId: conn.id,
        tenantId: conn.tenant_id,
        outcome: 'failed',
        system: true,
        detail: { mode, reason: err.providerCode ?? err.kind, retry_at: retryAt.toISOString() },
      });
      await em.flush();
      this.logger.warn(
        `refresh of connection ${conn.id} failed (${err.kind}); retrying after ${retryAt.toISOString()}`,
      );
      return { kind: 'transient', error: err, tokens };
    }
    const refreshed = storedTokensFrom(response, service.quirks, this.clock.now(), {
      requestedScopes: conn.scopes,
      previous: tokens,
    });
    // Durable before anyone sees the new access token: a rotated refresh token is never lost (OC-5).
    const newVersion = await this.storeRefreshed(ctx, conn, refreshed, version);
    if (newVersion === null) {
      // Only possible if the lock was lost (the database connection dropped): the other writer's pair stands.
      this.logger.error(`connection ${conn.id}: tokens changed under the refresh lock; keeping the stored ones`);
      return { kind: 'busy' };
    }
    await this.connections.tokensStored(
      em,
      conn,
      {
        scopes: refreshed.scopes,
        expires_at: refreshed.expires_at ? new Date(refreshed.expires_at) : null,
        token_version: newVersion,
        has_refresh_token: refreshed.refresh_token !== null,
        next_refresh_at: proactiveRefreshAt(refreshed),
      },
      this.clock.now(),
      true,
    );
    this.outbox.audit(em, ctx, {
      action: 'connection.refresh',
      resourceType: 'connection',
      resourceId: conn.id,
      tenantId: conn.tenant_id,
      system: true,
      detail: {
        mode,
        rotated: response.refresh_token !== undefined && response.refresh_token !== tokens.refresh_token,
      },
    });
    await em.flush();
    return { kind: 'tokens', tokens: refreshed };
  }

  /**
   * Stores a refreshed pair; null when another writer's pair is there (version mismatch). The provider has
   * already answered, and one that rotates refresh tokens has invalidated the old one: losing the new pair now
   * kills the connection (its owner must reconnect). So a vault that is briefly unavailable (restarting, NATS
   * reconnecting) is waited for, up to STORE_RETRY_MS, instead of giving up: the fault-injection suite
   * (e2e/resilience-faults.e2e.spec.ts) killed the vault between a refresh and its storing. A retry after an
   * attempt whose answer was lost may find its own pair stored already: that counts as stored.
   */
  private async storeRefreshed(
    ctx: CallContext,
    conn: ConnectionListRow,
    refreshed: StoredTokens,
    version: number,
  ): Promise<number | null> {
    const deadline = Date.now() + STORE_RETRY_MS;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.vault.putTokens(ctx, conn, refreshed, version);
      } catch (err) {
        const code = err instanceof LockwellError ? err.code : undefined;
        if (code === ErrorCode.PRECONDITION_FAILED) {
          if (attempt === 0) return null;
          const now = await this.vault.tokens(ctx, conn);
          const ours =
            now?.tokens.access_token === refreshed.access_token && now.tokens.refresh_token === refreshed.refresh_token;
          return ours ? now.version : null;
        }
        if (code !== ErrorCode.SERVICE_UNAVAILABLE || Date.now() >= deadline) throw err;
        this.logger.warn(
          `connection ${conn.id}: the vault did not store the refreshed tokens (${(err as Error).message}); retrying`,
        );
        await new Promise((resolve) => setTimeout(resolve, Math.min(2000, 200 * 2 ** attempt)));
      }
    }
  }

  /** The grant is dead: refresh_failed at once, one event (its owner must reconnect), no retries (OC-6). */
  private async fail(
    em: EntityManager,
    ctx: CallContext,
    conn: ConnectionListRow,
    reason: string,
  ): Promise<RefreshOutcome> {
    // One event per dead grant (OC-6), and none for a connection disconnected meanwhile.
    if (!(await this.connections.markRefreshFailed(em, conn, reason, this.clock.now()))) return { kind: 'dead' };
    this.outbox.emit(
      em,
      ConnectionRefreshFailed,
      { ...eventDataOf(conn), status: 'refresh_failed', reason, previous_status: conn.status },
      conn.tenant_id,
    );
    this.outbox.audit(em, ctx, {
      action: 'connection.refresh',
      resourceType: 'connection',
      resourceId: conn.id,
      tenantId: conn.tenant_id,
      outcome: 'failed',
      system: true,
      detail: { reason, status: 'refresh_failed' },
    });
    await em.flush();
    this.logger.warn(`connection ${conn.id} is refresh_failed (${reason}): its owner must reconnect`);
    return { kind: 'dead' };
  }
}

/**
 * A hand-out refreshes inside the token's margin; the scheduler, which claims tokens at about 80% of their life,
 * refreshes those past half of it (a token that someone just refreshed is left alone).
 */
function needsRefresh(t: StoredTokens, now: Date, mode: RefreshMode): boolean {
  if (t.expires_at === null) return false;
  if (mode === 'on-demand') return !isFresh(t, now);
  const issued = Date.parse(t.issued_at);
  return now.getTime() - issued >= (Date.parse(t.expires_at) - issued) / 2;
}
