import { Controller, Get } from '@nestjs/common';
import { IdentityProfileGet, Profile, type CallContext } from '@lockwell/contracts';
import { RpcClient } from '@lockwell/service-kit';
import { API_PREFIX } from '../http/api-prefix.js';
import { Ctx } from '../http/call-context.decorator.js';
import { ApiRoute } from '../openapi/api-route.decorator.js';

@Controller(`${API_PREFIX}/profile`)
export class ProfileController {
  constructor(private readonly rpc: RpcClient) {}

  @Get()
  @ApiRoute({
    summary: 'The caller, their tenant memberships with roles, and effective permissions',
    tag: 'profile',
    response: Profile,
  })
  get(@Ctx() ctx: CallContext) {
    return this.rpc.request(IdentityProfileGet, {}, ctx);
  }
}
