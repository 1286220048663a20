import { Module } from '@nestjs/common';
import { OAuthModule } from '../oauth/oauth.module.js';
import { StorageModule } from '../storage/storage.module.js';
import { ServiceAdminService } from './service-admin.service.js';
import { ServiceHandler } from './service.handler.js';

/** The admin registry of third-party services and the preset catalogue. */
@Module({ imports: [OAuthModule, StorageModule], controllers: [ServiceHandler], providers: [ServiceAdminService] })
export class ServiceModule {}
