import { Module } from '@nestjs/common';
import { OAuthModule } from '../oauth/oauth.module.js';
import { StorageModule } from '../storage/storage.module.js';
import { AuthorizationHandler } from './authorization.handler.js';
import { AuthorizationService } from './authorization.service.js';
import { PendingChecksCipher } from './pending-checks.cipher.js';

/** Connecting: the authorization-code flow with PKCE, state and nonce, and its callback. */
@Module({ imports: [OAuthModule, StorageModule], controllers: [AuthorizationHandler], providers: [AuthorizationService, PendingChecksCipher] })
export class AuthorizationModule {}
