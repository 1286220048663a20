import { Module } from '@nestjs/common';
import { AuditRecordModule } from '../record/audit-record.module.js';
import { AuditIngestService } from './audit-ingest.service.js';
import { AuditStreamConsumer } from './audit-stream.consumer.js';

/** Ingestion: the stream consumer and the append to a chain. */
@Module({
  imports: [AuditRecordModule],
  providers: [AuditIngestService, AuditStreamConsumer],
})
export class IngestModule {}
