import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { AccessTokenVerifier } from './access-token.verifier.js';
import { ApiAuthGuard } from './auth.guard.js';
import { AuthEventsSubscriber } from './auth-events.subscriber.js';
import { AccessTokenStrategy, ApiTokenStrategy } from './bearer.strategies.js';
import { JwksCache } from './jwks.cache.js';
import { PrincipalResolver } from './principal.resolver.js';
import { RevokedSessions } from './revoked-sessions.js';

/** Who is calling: the global guard, its two passport strategies and the caches behind them. */
@Module({
  imports: [PassportModule],
  providers: [
    JwksCache,
    AccessTokenVerifier,
    RevokedSessions,
    PrincipalResolver,
    AuthEventsSubscriber,
    AccessTokenStrategy,
    ApiTokenStrategy,
    { provide: APP_GUARD, useClass: ApiAuthGuard },
  ],
  exports: [JwksCache, RevokedSessions, PrincipalResolver],
})
export class AuthModule {}
