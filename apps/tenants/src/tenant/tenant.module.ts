import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module.js';
import { MembershipModule } from '../membership/membership.module.js';
import { TenantHandler } from './tenant.handler.js';
import { TenantService } from './tenant.service.js';

@Module({ imports: [AccessModule, MembershipModule], controllers: [TenantHandler], providers: [TenantService] })
export class TenantModule {}
