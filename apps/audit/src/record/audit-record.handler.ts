import { Controller } from '@nestjs/common';
import { AuditRecordExport, AuditRecordList, type CallContext, type RpcRequestParsed } from '@lockwell/contracts';
import { RpcHandler } from '@lockwell/service-kit';
import { AuditRecordService } from './audit-record.service.js';

@Controller()
export class AuditRecordHandler {
  constructor(private readonly records: AuditRecordService) {}

  @RpcHandler(AuditRecordList)
  list(data: RpcRequestParsed<typeof AuditRecordList>, ctx: CallContext) {
    return this.records.list(ctx, data);
  }

  @RpcHandler(AuditRecordExport)
  exportPage(data: RpcRequestParsed<typeof AuditRecordExport>, ctx: CallContext) {
    return this.records.exportPage(ctx, data);
  }
}
