import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import type {
  AuditExportedRecord,
  AuditExportQuery,
  AuditListQuery,
  AuditRecord,
  CallContext,
  Page,
} from '@lockwell/contracts';
import { decodeCursor, pageFrom } from '@lockwell/service-kit';
import { auditScopeFor } from './audit-access.js';
import { AuditRecordRepository } from './audit-record.repository.js';
import { toAuditRecord, toExported } from './audit-record.row.js';
import { actAsWriter } from './writer-role.js';

/** Reading records: the list of `GET /audit` (newest first) and the export's pages (oldest first). */
@Injectable()
export class AuditRecordService {
  constructor(
    private readonly em: EntityManager,
    private readonly records: AuditRecordRepository,
  ) {}

  async list(ctx: CallContext, q: AuditListQuery): Promise<Page<AuditRecord>> {
    const scope = auditScopeFor(ctx, q.tenant_id);
    const before = q.cursor ? decodeCursor(q.cursor) : undefined;
    const rows = await this.em.fork().transactional(async (em) => {
      await actAsWriter(em);
      return this.records.list(em, scope, { ...q, before });
    });
    const page = pageFrom(rows, q.limit, (r) => ({ at: r.time, id: r.id }));
    return { items: page.rows.map(toAuditRecord), next_cursor: page.next_cursor };
  }

  async exportPage(
    ctx: CallContext,
    q: AuditExportQuery & { cursor?: string; limit: number },
  ): Promise<Page<AuditExportedRecord>> {
    const scope = auditScopeFor(ctx, q.tenant_id);
    const after = q.cursor ? decodeCursor(q.cursor) : undefined;
    const rows = await this.em.fork().transactional(async (em) => {
      await actAsWriter(em);
      return this.records.exportPage(em, scope, { ...q, after });
    });
    const page = pageFrom(rows, q.limit, (r) => ({ at: r.time, id: r.id }));
    return { items: page.rows.map(toExported), next_cursor: page.next_cursor };
  }
}
