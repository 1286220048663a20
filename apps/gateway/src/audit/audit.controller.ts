import { Controller, Get, Res } from '@nestjs/common';
import {
  AuditChainVerify,
  AuditExportedRecord,
  AuditExportQuery,
  AuditListQuery,
  AuditRecord,
  AuditRecordExport,
  AuditRecordList,
  AuditVerifyQuery,
  AuditVerifyResult,
  pageOf,
  type CallContext,
} from '@lockwell/contracts';
import { RpcClient } from '@lockwell/service-kit';
import type { FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import type { z } from 'zod';
import { API_PREFIX } from '../http/api-prefix.js';
import { Ctx } from '../http/call-context.decorator.js';
import { ApiRoute, ValidQuery } from '../openapi/api-route.decorator.js';

const TAG = 'audit';
// A chain walk or an export page reads far more rows than an ordinary call; they get a longer deadline.
const LONG_CALL_MS = 30_000;
const EXPORT_PAGE = 500;

/** docs/api.md "Notifications and audit": the audit trail. The audit service authorises every call (docs/audit.md). */
@Controller(`${API_PREFIX}/audit`)
export class AuditController {
  constructor(private readonly rpc: RpcClient) {}

  @Get()
  @ApiRoute({
    summary:
      'Audit records, newest first. Installation admins (audit:read-all) see every tenant and the installation events; tenant owners and admins (audit:read) must pass `tenant_id` and see that tenant only. Filters: `tenant_id, actor_id, action, resource_type, resource_id, outcome` (success, failed, denied), `from` (inclusive) and `to` (exclusive)',
    tag: TAG,
    query: AuditListQuery,
    response: pageOf(AuditRecord),
  })
  list(@ValidQuery() query: z.output<typeof AuditListQuery>, @Ctx() ctx: CallContext) {
    return this.rpc.request(AuditRecordList, query, ctx);
  }

  @Get('verify')
  @ApiRoute({
    summary:
      "Walks one hash chain: a tenant's (`tenant_id`; its owners and admins, or installation admins) or, without it, the installation's global chain (installation admins). Reports the first broken record and, as extensions, `problem` (hash_mismatch, link_broken, sequence_gap, bad_checkpoint, truncated) and `checkpoints_checked`",
    tag: TAG,
    query: AuditVerifyQuery,
    response: AuditVerifyResult,
  })
  verify(@ValidQuery() query: z.output<typeof AuditVerifyQuery>, @Ctx() ctx: CallContext) {
    return this.rpc.request(AuditChainVerify, query, ctx, { timeoutMs: LONG_CALL_MS });
  }

  @Get('export')
  @ApiRoute({
    summary:
      'Extension: the records matching the filters of GET /audit (a `from`/`to` time range above all), oldest first, streamed as JSON lines (`application/x-ndjson`, one record per line, with its `chain`, `sequence`, `previous_hash` and `hash` so a SIEM can re-check the chain). Same access rules as GET /audit',
    tag: TAG,
    query: AuditExportQuery,
    response: AuditExportedRecord,
    contentType: 'application/x-ndjson',
  })
  async export(
    @ValidQuery() query: z.output<typeof AuditExportQuery>,
    @Ctx() ctx: CallContext,
    @Res() reply: FastifyReply,
  ) {
    // The first page is fetched before anything is sent, so a refusal is an ordinary error response.
    const first = await this.rpc.request(AuditRecordExport, { ...query, limit: EXPORT_PAGE }, ctx, {
      timeoutMs: LONG_CALL_MS,
    });
    const rpc = this.rpc;
    async function* lines() {
      let page = first;
      for (;;) {
        if (page.items.length) yield page.items.map((r) => `${JSON.stringify(r)}\n`).join('');
        if (!page.next_cursor) return;
        // One page in memory at a time: the next is asked for only when the client has taken this one.
        page = await rpc.request(AuditRecordExport, { ...query, cursor: page.next_cursor, limit: EXPORT_PAGE }, ctx, {
          timeoutMs: LONG_CALL_MS,
        });
      }
    }
    void reply.header('content-type', 'application/x-ndjson; charset=utf-8');
    return reply.send(Readable.from(lines()));
  }
}
