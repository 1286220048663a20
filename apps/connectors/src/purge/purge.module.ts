import { Module } from '@nestjs/common';
import { StorageModule } from '../storage/storage.module.js';
import { PurgeConsumer } from './purge.consumer.js';

/** Participant of the tenant deletion saga, and of user deletion. */
@Module({ imports: [StorageModule], providers: [PurgeConsumer], exports: [PurgeConsumer] })
export class PurgeModule {}
