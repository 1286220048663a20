import { Module } from '@nestjs/common';
import { SecretModule } from '../secret/secret.module.js';
import { UsageHandler } from './usage.handler.js';
import { UsageService } from './usage.service.js';

/** Where-used of one secret (the reads recorded by the secret feature). Exports nothing. */
@Module({ imports: [SecretModule], controllers: [UsageHandler], providers: [UsageService] })
export class UsageModule {}
