import { Module } from '@nestjs/common';
import { OAuthModule } from '../oauth/oauth.module.js';
import { ServiceModule } from '../service/service.module.js';
import { StorageModule } from '../storage/storage.module.js';
import { ConnectionHandler } from './connection.handler.js';
import { ConnectionRepository } from './connection.repository.js';
import { ConnectionService } from './connection.service.js';

/**
 * Users' connections: the connectable services, the list, disconnecting. Exports the table to the features
 * that connect, refresh, delete services and purge.
 */
@Module({
  imports: [OAuthModule, StorageModule, ServiceModule],
  controllers: [ConnectionHandler],
  providers: [ConnectionRepository, ConnectionService],
  exports: [ConnectionRepository],
})
export class ConnectionModule {}
