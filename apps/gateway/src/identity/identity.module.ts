import { Module } from '@nestjs/common';

/** Gateway routes of identity (issue 3): auth guard + strategies live in ../auth, routes for auth, users, roles, profile, tokens here. */
@Module({})
export class IdentityGatewayModule {}
