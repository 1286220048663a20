import { Module } from '@nestjs/common';
import { ConnectionModule } from '../connection/connection.module.js';
import { OAuthModule } from '../oauth/oauth.module.js';
import { ServiceModule } from '../service/service.module.js';
import { StorageModule } from '../storage/storage.module.js';
import { ServiceAdminHandler } from './service-admin.handler.js';
import { ServiceAdminService } from './service-admin.service.js';

/** The admin registry of third-party services (/admin/services) and the preset catalogue. */
@Module({
  imports: [OAuthModule, StorageModule, ServiceModule, ConnectionModule],
  controllers: [ServiceAdminHandler],
  providers: [ServiceAdminService],
})
export class AdminModule {}
