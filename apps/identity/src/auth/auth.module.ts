import { Module } from '@nestjs/common';
import { PasswordModule } from '../password/password.module.js';
import { SessionModule } from '../session/session.module.js';
import { SigningKeyModule } from '../signing-key/signing-key.module.js';
import { ThrottleModule } from '../throttle/throttle.module.js';
import { UserModule } from '../user/user.module.js';
import { AccessTokenIssuer } from './access-token.issuer.js';
import { AuthHandler } from './auth.handler.js';
import { AuthService } from './auth.service.js';

/** Login, refresh-token rotation and logout: a session and its tokens for a user who proved who they are. */
@Module({
  imports: [UserModule, SessionModule, ThrottleModule, PasswordModule, SigningKeyModule],
  controllers: [AuthHandler],
  providers: [AccessTokenIssuer, AuthService],
})
export class AuthModule {}
