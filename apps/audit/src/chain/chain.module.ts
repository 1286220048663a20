import { Module } from '@nestjs/common';
import { AuditRecordModule } from '../record/audit-record.module.js';
import { ChainHandler } from './chain.handler.js';
import { ChainService } from './chain.service.js';
import { CheckpointJob } from './checkpoint.job.js';
import { CheckpointRepository } from './checkpoint.repository.js';

/** The hash chains as a whole: verification, signed checkpoints, retention. Exports the job (tests run a pass on demand). */
@Module({
  imports: [AuditRecordModule],
  controllers: [ChainHandler],
  providers: [CheckpointRepository, ChainService, CheckpointJob],
  exports: [CheckpointJob, CheckpointRepository],
})
export class ChainModule {}
