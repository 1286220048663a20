import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { MasterKeyRotateBody, MasterKeyRotateResult, MasterKeyStatus, VaultMasterKeyRotate, VaultMasterKeyStatus, type CallContext } from '@lockwell/contracts';
import { RpcClient } from '@lockwell/service-kit';
import type { z } from 'zod';
import { API_PREFIX } from '../http/api-prefix.js';
import { Ctx } from '../http/call-context.decorator.js';
import { ApiRoute, ValidBody } from '../openapi/api-route.decorator.js';

/** Operator route for master-key rotation (KEY-1, KEY-2); the vault checks the global keys:rotate permission. */
@Controller(`${API_PREFIX}/admin/master-key`)
export class MasterKeyController {
  constructor(private readonly rpc: RpcClient) {}

  @Get()
  @ApiRoute({ summary: 'Where a master-key rotation stands: the ring, data keys per master key, and how many still need re-wrapping; keys:rotate (extension)', tag: 'admin', response: MasterKeyStatus })
  status(@Ctx() ctx: CallContext) {
    return this.rpc.request(VaultMasterKeyStatus, {}, ctx);
  }

  @Post('rotate')
  @HttpCode(200)
  @ApiRoute({
    summary: 'Re-wrap every data key not yet under the active master key (add the new key to LOCKWELL_MASTER_KEY and restart first); resumable and idempotent; keys:rotate (extension)',
    tag: 'admin',
    body: MasterKeyRotateBody,
    response: MasterKeyRotateResult,
    status: 200,
  })
  rotate(@ValidBody() body: z.output<typeof MasterKeyRotateBody>, @Ctx() ctx: CallContext) {
    // Re-wrapping a large installation takes longer than an ordinary request.
    return this.rpc.request(VaultMasterKeyRotate, body, ctx, { timeoutMs: 120_000 });
  }
}
