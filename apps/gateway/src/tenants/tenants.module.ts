import { Module } from '@nestjs/common';

/** Gateway routes of tenants (issue 4): routes under /tenants. */
@Module({})
export class TenantsGatewayModule {}
