import { Module } from '@nestjs/common';
import { SecretModule } from '../secret/secret.module.js';
import { LifecycleJob } from './lifecycle.job.js';

/** The StackSpot lifecycle job (inactive, due deletions, expiry warnings). Exports nothing. */
@Module({ imports: [SecretModule], providers: [LifecycleJob] })
export class LifecycleModule {}
