import { Controller } from '@nestjs/common';
import {
  IdentityAccessGet,
  IdentityUserAdministrators,
  IdentityUserLookup,
  type RpcRequestParsed,
} from '@lockwell/contracts';
import { RpcHandler } from '@lockwell/service-kit';
import { AccessService } from './access.service.js';

/**
 * What other processes need from identity: a user's standing (principal resolution) and public facts (member
 * lists). They answer system callers (gateway, services), which reach them only with NATS credentials allowed
 * on identity's subjects.
 */
@Controller()
export class AccessHandler {
  constructor(private readonly access: AccessService) {}

  @RpcHandler(IdentityAccessGet)
  get(data: RpcRequestParsed<typeof IdentityAccessGet>) {
    return this.access.access(data.user_id);
  }

  @RpcHandler(IdentityUserLookup)
  async lookup(data: RpcRequestParsed<typeof IdentityUserLookup>) {
    return { users: await this.access.lookup(data.user_ids, data.emails ?? []) };
  }

  @RpcHandler(IdentityUserAdministrators)
  async administrators() {
    return { users: await this.access.administrators() };
  }
}
