import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import {
  ApiTokenRevoked,
  allListenerContracts,
  EventEnvelope,
  MembershipChanged,
  RoleChanged,
  SessionsRevoked,
  SigningKeysChanged,
  UserChanged,
  type EventContract,
  type EventData,
} from '@lockwell/contracts';
import { isAuthenticEvent, LOGGER, NATS_BUS, type Logger, type NatsBus } from '@lockwell/service-kit';
import type { Subscription } from '@nats-io/transport-node';
import { JwksCache } from './jwks.cache.js';
import { PrincipalResolver } from './principal.resolver.js';
import { RevokedSessions } from './revoked-sessions.js';

/**
 * Keeps the gateway's auth caches honest. Services publish these events to JetStream through their outbox
 * right after commit; a JetStream publish is also delivered to plain core subscribers on the subject, so
 * every gateway replica hears it (no durable consumer needed: each replica needs every event, and what it
 * misses while disconnected is covered by the resync on reconnect plus the cache TTLs). An event not signed by
 * the service owning its subject is ignored.
 */
@Injectable()
export class AuthEventsSubscriber implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly subscriptions: Subscription[] = [];

  constructor(
    @Inject(NATS_BUS) private readonly bus: NatsBus,
    private readonly principals: PrincipalResolver,
    private readonly revoked: RevokedSessions,
    private readonly jwks: JwksCache,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap() {
    this.on(SessionsRevoked, (d) => {
      this.revoked.add(d.session_ids, new Date(d.revoked_at));
    });
    this.on(UserChanged, (d) => {
      this.principals.standings.delete(d.user_id);
      this.principals.grants.deleteWhere((g) => g?.user_id === d.user_id);
    });
    this.on(MembershipChanged, (d) => this.principals.standings.delete(d.user_id));
    this.on(RoleChanged, (d) => {
      // Global roles are not in the cached record by id; role changes are rare, so drop all standings.
      this.principals.standings.clear();
      this.logger.debug({ role_id: d.role_id }, 'role changed: principal cache cleared');
    });
    this.on(ApiTokenRevoked, (d) => this.principals.grants.deleteWhere((g) => g?.token_id === d.token_id));
    this.on(SigningKeysChanged, () => this.jwks.invalidate());
    void this.watchReconnects();
  }

  onApplicationShutdown() {
    for (const s of this.subscriptions) s.unsubscribe();
  }

  private on<E extends EventContract>(event: E, apply: (data: EventData<E>) => void): void {
    // The bus permits only declared listeners (packages/contracts/src/bus/topology.ts).
    if (!allListenerContracts().some((l) => l.identity === 'gateway' && l.event.subject === event.subject))
      throw new Error(`gateway listener for ${event.subject} is not declared`);
    this.subscriptions.push(
      this.bus.nc.subscribe(event.subject, {
        callback: (err, msg) => {
          if (err) return;
          if (!isAuthenticEvent(this.bus.credentials.keyring, msg.subject, msg.data, msg.headers)) {
            this.logger.warn({ subject: msg.subject }, 'ignored an auth event not signed by its owning service');
            return;
          }
          try {
            const envelope = EventEnvelope.parse(msg.json());
            apply(event.data.parse(envelope.data) as EventData<E>);
          } catch (e) {
            this.logger.warn({ err: e, subject: event.subject }, 'ignored a malformed auth event');
          }
        },
      }),
    );
  }

  /** After a reconnect we may have missed events: drop the caches and reload recent revocations. */
  private async watchReconnects(): Promise<void> {
    for await (const status of this.bus.nc.status()) {
      if (status.type === 'reconnect') {
        this.principals.standings.clear();
        this.principals.grants.clear();
        this.jwks.invalidate();
        void this.revoked.resync();
      }
    }
  }
}
