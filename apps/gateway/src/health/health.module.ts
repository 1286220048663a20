import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { HealthController } from './health.controller.js';

/** /healthz and /readyz (readiness includes whether authentication can decide yet). Exports nothing. */
@Module({ imports: [AuthModule], controllers: [HealthController] })
export class HealthModule {}
