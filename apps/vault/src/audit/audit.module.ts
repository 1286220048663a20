import { Module } from '@nestjs/common';
import { AuditedTransaction } from './audited-transaction.js';

/** The vault's unit of work: a change, its events and its audit record commit together (AUD-1, AUD-2). */
@Module({ providers: [AuditedTransaction], exports: [AuditedTransaction] })
export class AuditModule {}
