import { Module } from '@nestjs/common';
import { AuthorizationModule } from '../authorization/authorization.module.js';
import { ConnectionModule } from '../connection/connection.module.js';
import { OAuthModule } from '../oauth/oauth.module.js';
import { ServiceModule } from '../service/service.module.js';
import { StorageModule } from '../storage/storage.module.js';
import { BrokerHandler } from './broker.handler.js';
import { Refresher } from './refresher.js';
import { RefreshScheduler } from './refresh.scheduler.js';
import { TokenBroker } from './token-broker.service.js';

/** The token broker: hand-outs, single-flight refresh, and the proactive refresh scheduler. */
@Module({
  imports: [OAuthModule, StorageModule, ServiceModule, ConnectionModule, AuthorizationModule],
  controllers: [BrokerHandler],
  providers: [TokenBroker, Refresher, RefreshScheduler],
})
export class BrokerModule {}
