import { Module } from '@nestjs/common';
import { OAUTH_CLIENT } from './oauth-client.port.js';
import { OpenIdOAuthClient } from './openid-oauth-client.js';

/** The OAuth client port, implemented with openid-client. */
@Module({ providers: [{ provide: OAUTH_CLIENT, useClass: OpenIdOAuthClient }], exports: [OAUTH_CLIENT] })
export class OAuthModule {}
