import { Module } from '@nestjs/common';
import { ApiTokenModule } from '../api-token/api-token.module.js';
import { PasswordModule } from '../password/password.module.js';
import { RoleModule } from '../role/role.module.js';
import { SessionModule } from '../session/session.module.js';
import { ThrottleModule } from '../throttle/throttle.module.js';
import { PasswordChangeService } from './password-change.service.js';
import { UserDeletionService } from './user-deletion.service.js';
import { UserHandler } from './user.handler.js';
import { UserRepository } from './user.repository.js';
import { UserService } from './user.service.js';

/** Users: administration, deletion, password change. Exports the table to login, access and bootstrap. */
@Module({
  imports: [RoleModule, SessionModule, ApiTokenModule, ThrottleModule, PasswordModule],
  controllers: [UserHandler],
  providers: [UserRepository, UserService, UserDeletionService, PasswordChangeService],
  exports: [UserRepository],
})
export class UserModule {}
