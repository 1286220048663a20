import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import {
  ErrorCode,
  type CallContext,
  type Page,
  type RpcRequestParsed,
  type NotificationsWebhookCreate,
  type Webhook,
} from '@lockwell/contracts';
import {
  assertTenantPermission,
  CLOCK,
  decodeCursor,
  LockwellError,
  Outbox,
  pageFrom,
  requirePrincipal,
  type Clock,
} from '@lockwell/service-kit';
import { randomUUID } from 'node:crypto';
import { WebhookSecrets } from './webhook-secrets.js';
import { WebhookUrlGuard } from './webhook-url.guard.js';
import { WebhookRepository, type WebhookAttemptRow, type WebhookRow } from './webhook.repository.js';

export const webhookView = (w: WebhookRow): Webhook => ({
  id: w.id,
  tenant_id: w.tenant_id,
  url: w.url,
  events: w.events as Webhook['events'],
  description: w.description,
  status: w.status,
  disabled_reason: w.disabled_reason,
  created_at: new Date(w.created_at).toISOString(),
});

const attemptView = (a: WebhookAttemptRow) => ({
  id: a.id,
  notification_id: a.notification_id,
  kind: a.kind as Webhook['events'][number],
  attempt: a.attempt,
  attempted_at: new Date(a.attempted_at).toISOString(),
  status_code: a.status_code,
  error: a.error,
  duration_ms: a.duration_ms,
  succeeded: a.succeeded,
});

const notFound = () => new LockwellError(ErrorCode.WEBHOOK_NOT_FOUND, 'Webhook not found');

/**
 * A tenant's webhooks: owners and admins (webhooks:manage) create, list, delete them and read their delivery
 * log; outsiders get TENANT_NOT_FOUND. The signing secret is shown once, in the create answer, and stored sealed
 * under the master key. Every change is audited in the same transaction.
 */
@Injectable()
export class WebhookService {
  constructor(
    private readonly em: EntityManager,
    private readonly webhooks: WebhookRepository,
    private readonly guard: WebhookUrlGuard,
    private readonly outbox: Outbox,
    private readonly secrets: WebhookSecrets,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  private authorize(ctx: CallContext, tenantId: string) {
    assertTenantPermission(ctx, tenantId, 'webhooks:manage', { notFound: ErrorCode.TENANT_NOT_FOUND });
  }

  async create(
    ctx: CallContext,
    req: RpcRequestParsed<typeof NotificationsWebhookCreate>,
  ): Promise<Webhook & { secret: string }> {
    this.authorize(ctx, req.tenant_id);
    await this.guard.check(req.url);
    const id = randomUUID();
    const { secret, sealed } = this.secrets.generate(req.tenant_id, id);
    const row = {
      id,
      url: req.url,
      events: [...new Set(req.events ?? [])].sort(),
      description: req.description ?? null,
      secret_sealed: sealed,
      created_by: requirePrincipal(ctx).userId,
      created_at: this.clock.now(),
    };
    await this.em.transactional(async (tx) => {
      await this.webhooks.add(tx as EntityManager, req.tenant_id, row);
      this.outbox.audit(tx, ctx, {
        action: 'webhook.create',
        resourceType: 'webhook',
        resourceId: id,
        tenantId: req.tenant_id,
        detail: { host: new URL(req.url).host, events: row.events },
      });
    });
    return {
      ...webhookView({
        ...row,
        tenant_id: req.tenant_id,
        status: 'active',
        disabled_reason: null,
        consecutive_failures: 0,
      }),
      secret,
    };
  }

  async list(ctx: CallContext, tenantId: string, q: { limit: number; cursor?: string }): Promise<Page<Webhook>> {
    this.authorize(ctx, tenantId);
    const rows = await this.webhooks.list(this.em, tenantId, {
      after: q.cursor ? decodeCursor(q.cursor) : undefined,
      limit: q.limit,
    });
    const page = pageFrom(rows, q.limit, (r) => ({ at: new Date(r.created_at), id: r.id }));
    return { items: page.rows.map(webhookView), next_cursor: page.next_cursor };
  }

  async delete(ctx: CallContext, tenantId: string, id: string): Promise<void> {
    this.authorize(ctx, tenantId);
    await this.em.transactional(async (tx) => {
      const webhook = await this.webhooks.find(tx as EntityManager, tenantId, id, { lock: true });
      if (!webhook) throw notFound();
      await this.webhooks.delete(tx as EntityManager, tenantId, id);
      this.outbox.audit(tx, ctx, {
        action: 'webhook.delete',
        resourceType: 'webhook',
        resourceId: id,
        tenantId,
        detail: { host: new URL(webhook.url).host },
      });
    });
  }

  async attempts(ctx: CallContext, tenantId: string, id: string, q: { limit: number; cursor?: string }) {
    this.authorize(ctx, tenantId);
    if (!(await this.webhooks.find(this.em, tenantId, id))) throw notFound();
    const rows = await this.webhooks.attempts(this.em, tenantId, id, {
      after: q.cursor ? decodeCursor(q.cursor) : undefined,
      limit: q.limit,
    });
    const page = pageFrom(rows, q.limit, (r) => ({ at: new Date(r.attempted_at), id: r.id }));
    return { items: page.rows.map(attemptView), next_cursor: page.next_cursor };
  }
}
