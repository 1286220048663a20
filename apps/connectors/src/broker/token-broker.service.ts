import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { ErrorCode, type CallContext, type ConnectionToken } from '@lockwell/contracts';
import { CLOCK, currentCallDeadline, LockwellError, Outbox, requirePrincipal, type Clock } from '@lockwell/service-kit';
import { assertMayUse, reachOf } from '../connection/connection-access.policy.js';
import { ConnectionRepository } from '../connection/connection.repository.js';
import { ConnectorVault } from '../storage/connector-vault.js';
import { isFresh, isUnexpired } from '../tokens/refresh-timing.js';
import { Refresher, type RefreshOutcome } from './refresher.js';
import type { StoredTokens } from '../tokens/stored-tokens.js';

// Outside an RPC (no caller deadline) a hand-out waits at most this long for a refresh.
const DEFAULT_WAIT_MS = 10_000;

const reauth = () =>
  new LockwellError(ErrorCode.CONNECTION_REAUTH_REQUIRED, 'The connection must be connected again by its owner');

/**
 * POST /services/connections/{id}/token: a valid access token, refreshed first when it is close to expiry. The
 * refresh token never leaves this service. A transient provider failure hands out the current token while it is
 * still valid; a dead grant says the owner must reconnect. Every hand-out is audited before the token leaves
 * (AUD-1), with no token in the record (AUD-3).
 */
@Injectable()
export class TokenBroker {
  constructor(
    private readonly em: EntityManager,
    private readonly connections: ConnectionRepository,
    private readonly vault: ConnectorVault,
    private readonly refresher: Refresher,
    private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async handOut(
    ctx: CallContext,
    connectionId: string,
    requiredScopes: string[] | undefined,
  ): Promise<ConnectionToken> {
    const conn = await this.connections.find(this.em, reachOf(requirePrincipal(ctx)), connectionId);
    if (!conn) throw new LockwellError(ErrorCode.CONNECTION_NOT_FOUND, 'No such connection');
    assertMayUse(ctx, conn);
    if (conn.status !== 'connected') throw reauth();
    const stored = await this.vault.tokens(ctx, conn);
    if (!stored) throw reauth();
    let tokens = stored.tokens;
    let refreshed = false;
    if (!isFresh(tokens, this.clock.now())) {
      const waitUntil = currentCallDeadline() ?? Date.now() + DEFAULT_WAIT_MS;
      tokens = usable(
        await this.awaitRefresh(this.refresher.refresh(conn, ctx, 'on-demand', waitUntil), waitUntil),
        tokens,
        this.clock.now(),
      );
      refreshed = tokens !== stored.tokens;
    }
    // OC-3: the brokered token is handed out only for scopes its grant holds.
    const missing = (requiredScopes ?? []).filter((s) => !tokens.scopes.includes(s));
    if (missing.length)
      throw new LockwellError(
        ErrorCode.INSUFFICIENT_SCOPE,
        'The connection was not granted every scope asked for',
        missing.map((s) => ({ field: 'scopes', issue: `not granted: ${s}` })),
      );
    await this.em.transactional(async (em) => {
      this.outbox.audit(em, ctx, {
        action: 'connection.token',
        resourceType: 'connection',
        resourceId: conn.id,
        tenantId: conn.tenant_id,
        detail: { service_id: conn.service_id, refreshed },
      });
      await em.flush();
    });
    return {
      access_token: tokens.access_token,
      token_type: tokens.token_type,
      expires_at: tokens.expires_at,
      scopes: tokens.scopes,
      extra: tokens.extra,
    };
  }

  // The refresh goes on in the background past the caller's deadline; the caller stops waiting at it.
  private awaitRefresh(flight: Promise<RefreshOutcome>, waitUntil: number): Promise<RefreshOutcome> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<RefreshOutcome>(
      (resolve) => (timer = setTimeout(() => resolve({ kind: 'busy' }), Math.max(0, waitUntil - Date.now()))),
    );
    return Promise.race([flight, timeout]).finally(() => clearTimeout(timer));
  }
}

/** What a hand-out can give after a refresh attempt: new tokens, the old ones while still valid, or an error. */
function usable(outcome: RefreshOutcome, current: StoredTokens, now: Date): StoredTokens {
  switch (outcome.kind) {
    case 'tokens':
      return outcome.tokens;
    case 'dead':
      throw reauth();
    case 'transient':
      if (isUnexpired(current, now)) return current;
      throw outcome.error.kind === 'unavailable'
        ? new LockwellError(
            ErrorCode.PROVIDER_UNAVAILABLE,
            'The provider is unavailable and the stored token has expired; retry shortly',
          )
        : new LockwellError(
            ErrorCode.PROVIDER_ERROR,
            'The provider refused to refresh the token; an administrator should check the service',
          );
    case 'busy':
      if (isUnexpired(current, now)) return current;
      throw new LockwellError(ErrorCode.SERVICE_UNAVAILABLE, 'The token is being refreshed; retry shortly');
  }
}
