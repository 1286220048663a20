import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller.js';

/** Gateway routes of the audit trail (issue 17): routes under /audit. */
@Module({ controllers: [AuditController] })
export class AuditGatewayModule {}
