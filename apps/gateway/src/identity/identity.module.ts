import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { AuthController } from './auth.controller.js';
import { JwksController } from './jwks.controller.js';
import { RolesController } from './roles.controller.js';
import { ProfileController } from './profile.controller.js';
import { TokensController } from './tokens.controller.js';
import { UsersController } from './users.controller.js';

/** Gateway routes of identity: auth, users, roles, profile, tokens, the JWKS; AuthModule installs the global guard. */
@Module({
  imports: [AuthModule],
  controllers: [AuthController, UsersController, RolesController, ProfileController, TokensController, JwksController],
})
export class IdentityGatewayModule {}
