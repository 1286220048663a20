import { Module } from '@nestjs/common';
import { AuthorizationModule } from '../authorization/authorization.module.js';
import { ConnectionModule } from '../connection/connection.module.js';
import { StorageModule } from '../storage/storage.module.js';
import { PurgeConsumer } from './purge.consumer.js';

/** Tenant deletion (through the kit's TenantPurgeModule, which takes PurgeConsumer as its purger) and user deletion. */
@Module({
  imports: [StorageModule, ConnectionModule, AuthorizationModule],
  providers: [PurgeConsumer],
  exports: [PurgeConsumer],
})
export class PurgeModule {}
