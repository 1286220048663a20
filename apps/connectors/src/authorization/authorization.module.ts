import { Module } from '@nestjs/common';
import { ConnectionModule } from '../connection/connection.module.js';
import { OAuthModule } from '../oauth/oauth.module.js';
import { ServiceModule } from '../service/service.module.js';
import { StorageModule } from '../storage/storage.module.js';
import { AuthorizationRequestRepository } from './authorization-request.repository.js';
import { AuthorizationHandler } from './authorization.handler.js';
import { AuthorizationService } from './authorization.service.js';
import { PendingChecksCipher } from './pending-checks.cipher.js';

/**
 * Connecting: the authorization-code flow with PKCE, state and nonce, and its callback. Exports the pending
 * requests' table to the scheduler (forgetting old ones) and the purge.
 */
@Module({
  imports: [OAuthModule, StorageModule, ServiceModule, ConnectionModule],
  controllers: [AuthorizationHandler],
  providers: [AuthorizationRequestRepository, AuthorizationService, PendingChecksCipher],
  exports: [AuthorizationRequestRepository],
})
export class AuthorizationModule {}
