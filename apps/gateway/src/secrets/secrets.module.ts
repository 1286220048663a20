import { Module } from '@nestjs/common';

/** Gateway routes of vault (issue 5): routes under /user-secrets and /tenant-secrets. */
@Module({})
export class SecretsGatewayModule {}
