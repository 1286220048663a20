import { Module, type DynamicModule } from '@nestjs/common';
import { defineService, ServiceKitModule, type ServiceAppOptions } from '@lockwell/service-kit';
import { configSchema, type Config } from './config.js';
import { migrations } from './migrations/index.js';
import { IDENTITY_CONFIG } from './identity.tokens.js';
import { UserEntity } from './user/user.entity.js';
import { UserRoleEntity } from './user/user-role.entity.js';
import { RoleEntity } from './role/role.entity.js';
import { SessionEntity } from './session/session.entity.js';
import { RefreshTokenEntity } from './session/refresh-token.entity.js';
import { SigningKeyEntity } from './signing-key/signing-key.entity.js';
import { ApiTokenEntity } from './api-token/api-token.entity.js';
import { Argon2PasswordHasher, PASSWORD_HASHER } from './password/password-hasher.js';
import { LoginThrottleService } from './throttle/login-throttle.service.js';
import { SigningKeyService } from './signing-key/signing-key.service.js';
import { SigningKeyRewrap } from './signing-key/signing-key-rewrap.js';
import { AccessTokenIssuer } from './session/access-token.issuer.js';
import { SessionRevoker } from './session/session-revoker.js';
import { SessionService } from './session/session.service.js';
import { ActiveSessionService } from './session/active-session.service.js';
import { SessionHandler } from './session/session.handler.js';
import { RoleService } from './role/role.service.js';
import { RoleHandler } from './role/role.handler.js';
import { UserRoleRepository } from './user/user.repository.js';
import { UserService } from './user/user.service.js';
import { UserHandler } from './user/user.handler.js';
import { AccessService } from './access/access.service.js';
import { AccessHandler } from './access/access.handler.js';
import { ApiTokenService } from './api-token/api-token.service.js';
import { ApiTokenHandler } from './api-token/api-token.handler.js';
import { AdminBootstrapService } from './bootstrap/admin-bootstrap.service.js';

export type AppOptions = ServiceAppOptions<Config>;

export const IDENTITY_ENTITIES = [UserEntity, UserRoleEntity, RoleEntity, SessionEntity, RefreshTokenEntity, SigningKeyEntity, ApiTokenEntity];

@Module({})
export class AppModule {
  static register(opts: AppOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [ServiceKitModule.forService({ name: 'identity', ...opts, database: { entities: IDENTITY_ENTITIES, migrations } })],
      controllers: [SessionHandler, UserHandler, RoleHandler, AccessHandler, ApiTokenHandler],
      providers: [
        { provide: IDENTITY_CONFIG, useValue: opts.config },
        { provide: PASSWORD_HASHER, useClass: Argon2PasswordHasher },
        LoginThrottleService,
        SigningKeyService,
        SigningKeyRewrap,
        AccessTokenIssuer,
        SessionRevoker,
        SessionService,
        ActiveSessionService,
        RoleService,
        UserRoleRepository,
        UserService,
        AccessService,
        ApiTokenService,
        AdminBootstrapService,
      ],
    };
  }
}

/** The identity service: its name in the service list, its config and its root module (main.ts, tests and e2e start it from this). */
export const service = defineService({ name: 'identity', configSchema, module: (opts) => AppModule.register(opts) });
