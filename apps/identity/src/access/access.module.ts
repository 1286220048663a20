import { Module } from '@nestjs/common';
import { RoleModule } from '../role/role.module.js';
import { UserModule } from '../user/user.module.js';
import { AccessHandler } from './access.handler.js';
import { AccessService } from './access.service.js';

/** A user's standing for the gateway's principal resolution, and public user facts for other services. */
@Module({ imports: [UserModule, RoleModule], controllers: [AccessHandler], providers: [AccessService] })
export class AccessModule {}
