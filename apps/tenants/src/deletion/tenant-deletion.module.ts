import { Module } from '@nestjs/common';
import { TenantDeletionConsumer } from './tenant-deletion.consumer.js';
import { TenantDeletionService } from './tenant-deletion.service.js';

/** The coordinator of the tenant deletion saga (docs/tenants.md). */
@Module({ providers: [TenantDeletionService, TenantDeletionConsumer] })
export class TenantDeletionModule {}
