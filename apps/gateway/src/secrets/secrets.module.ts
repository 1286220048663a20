import { Module } from '@nestjs/common';
import { MasterKeyController } from './master-key.controller.js';
import { TenantSecretsController, UserSecretsController } from './secrets.controller.js';

/** Gateway routes of vault (issue 5): /user-secrets, /tenant-secrets and the master-key rotation admin route. */
@Module({ controllers: [UserSecretsController, TenantSecretsController, MasterKeyController] })
export class SecretsGatewayModule {}
