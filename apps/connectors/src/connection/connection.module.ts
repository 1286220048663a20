import { Module } from '@nestjs/common';
import { OAuthModule } from '../oauth/oauth.module.js';
import { StorageModule } from '../storage/storage.module.js';
import { ConnectionHandler } from './connection.handler.js';
import { ConnectionService } from './connection.service.js';

/** Users' connections: the connectable services, the list, disconnecting. */
@Module({ imports: [OAuthModule, StorageModule], controllers: [ConnectionHandler], providers: [ConnectionService] })
export class ConnectionModule {}
