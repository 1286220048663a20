import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { SecretModule } from '../secret/secret.module.js';
import { VersionHandler } from './version.handler.js';
import { VersionService } from './version.service.js';

/** Version history of one secret and rollback to an older value. Exports nothing. */
@Module({ imports: [SecretModule, AuditModule], controllers: [VersionHandler], providers: [VersionService] })
export class VersionModule {}
