import { Module } from '@nestjs/common';
import { PasswordModule } from '../password/password.module.js';
import { RoleModule } from '../role/role.module.js';
import { SigningKeyModule } from '../signing-key/signing-key.module.js';
import { UserModule } from '../user/user.module.js';
import { AdminBootstrapService } from './admin-bootstrap.service.js';

/** First start: the administrator and the first signing key. */
@Module({ imports: [UserModule, RoleModule, SigningKeyModule, PasswordModule], providers: [AdminBootstrapService] })
export class BootstrapModule {}
