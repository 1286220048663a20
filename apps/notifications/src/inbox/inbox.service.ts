import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { ErrorCode, type CallContext, type InboxItem, type Page } from '@lockwell/contracts';
import { CLOCK, decodeCursor, LockwellError, pageFrom, requirePrincipal, type Clock } from '@lockwell/service-kit';
import { InboxRepository, type InboxRow } from './inbox.repository.js';

const view = (r: InboxRow): InboxItem => ({
  id: r.id,
  kind: r.kind as InboxItem['kind'],
  title: r.title,
  body: r.body,
  tenant_id: r.tenant_id,
  resource_id: r.resource_id,
  created_at: new Date(r.created_at).toISOString(),
  read_at: r.read_at ? new Date(r.read_at).toISOString() : null,
});

/** The caller's own inbox: nobody reads or marks another user's items (they do not exist for them). */
@Injectable()
export class InboxService {
  constructor(
    private readonly em: EntityManager,
    private readonly inbox: InboxRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async list(
    ctx: CallContext,
    q: { limit: number; cursor?: string; unread?: boolean; kind?: string },
  ): Promise<Page<InboxItem>> {
    const { userId } = requirePrincipal(ctx);
    const after = q.cursor ? decodeCursor(q.cursor) : undefined;
    const rows = await this.inbox.list(this.em, userId, { unread: q.unread, kind: q.kind, after, limit: q.limit });
    const page = pageFrom(rows, q.limit, (r) => ({ at: new Date(r.created_at), id: r.id }));
    return { items: page.rows.map(view), next_cursor: page.next_cursor };
  }

  async markRead(ctx: CallContext, id: string): Promise<InboxItem> {
    const { userId } = requirePrincipal(ctx);
    const row = await this.inbox.markRead(this.em, userId, id, this.clock.now());
    if (!row) throw new LockwellError(ErrorCode.NOTIFICATION_NOT_FOUND, 'Notification not found');
    return view(row);
  }
}
