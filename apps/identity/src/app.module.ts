import { Module, type DynamicModule } from '@nestjs/common';
import { defineService, ServiceKitModule, type ServiceAppOptions } from '@lockwell/service-kit';
import { configSchema, type Config } from './config.js';
import { migrations } from './migrations/index.js';
import { AccessModule } from './access/access.module.js';
import { ApiTokenEntity } from './api-token/api-token.entity.js';
import { ApiTokenModule } from './api-token/api-token.module.js';
import { AuthModule } from './auth/auth.module.js';
import { BootstrapModule } from './bootstrap/bootstrap.module.js';
import { RoleEntity } from './role/role.entity.js';
import { RoleModule } from './role/role.module.js';
import { UserRoleEntity } from './role/user-role.entity.js';
import { RefreshTokenEntity } from './session/refresh-token.entity.js';
import { SessionEntity } from './session/session.entity.js';
import { SessionModule } from './session/session.module.js';
import { SigningKeyEntity } from './signing-key/signing-key.entity.js';
import { SigningKeyModule } from './signing-key/signing-key.module.js';
import { UserEntity } from './user/user.entity.js';
import { UserModule } from './user/user.module.js';

export type AppOptions = ServiceAppOptions<Config>;

export const IDENTITY_ENTITIES = [
  UserEntity,
  UserRoleEntity,
  RoleEntity,
  SessionEntity,
  RefreshTokenEntity,
  SigningKeyEntity,
  ApiTokenEntity,
];

@Module({})
export class AppModule {
  static register(opts: AppOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceKitModule.forService({
          name: 'identity',
          ...opts,
          database: { entities: IDENTITY_ENTITIES, migrations },
        }),
        AuthModule,
        UserModule,
        RoleModule,
        SessionModule,
        ApiTokenModule,
        SigningKeyModule,
        AccessModule,
        BootstrapModule,
      ],
    };
  }
}

/** The identity service: its name in the service list, its config and its root module (main.ts, tests and e2e start it from this). */
export const service = defineService({ name: 'identity', configSchema, module: (opts) => AppModule.register(opts) });
