import { Module } from '@nestjs/common';
import { MembersController } from './members.controller.js';
import { TenantsController } from './tenants.controller.js';

/** Gateway routes of tenants (issue 4): routes under /tenants. */
@Module({ controllers: [TenantsController, MembersController] })
export class TenantsGatewayModule {}
