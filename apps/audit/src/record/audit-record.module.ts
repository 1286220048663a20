import { Module } from '@nestjs/common';
import { AuditRecordHandler } from './audit-record.handler.js';
import { AuditRecordRepository } from './audit-record.repository.js';
import { AuditRecordService } from './audit-record.service.js';
import { AuditWriterRole } from './audit-writer.js';

/** The records: their table, and reading them (list, export). Exports the table to the chain and ingest features. */
@Module({
  controllers: [AuditRecordHandler],
  providers: [AuditWriterRole, AuditRecordRepository, AuditRecordService],
  exports: [AuditRecordRepository],
})
export class AuditRecordModule {}
