import { Module } from '@nestjs/common';
import { TenantPurgeConsumer } from './tenant-purge.consumer.js';

/** Participant of the tenant deletion saga. */
@Module({ providers: [TenantPurgeConsumer] })
export class TenantPurgeModule {}
