import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import {
  ErrorCode,
  IdentityMasterKeyRotate,
  IdentityMasterKeyStatus,
  MasterKeyRotateBody,
  MasterKeyRotateResult,
  MasterKeyStatus,
  VaultMasterKeyRotate,
  VaultMasterKeyStatus,
  type CallContext,
} from '@lockwell/contracts';
import { LockwellError, RpcClient } from '@lockwell/service-kit';
import type { z } from 'zod';
import { API_PREFIX } from '../http/api-prefix.js';
import { Ctx } from '../http/call-context.decorator.js';
import { ApiRoute, ValidBody } from '../openapi/api-route.decorator.js';

/**
 * Operator route for master-key rotation (KEY-1, KEY-2): every key sealed under the master key is re-sealed
 * under the active one, the vault's data keys and identity's signing keys alike, so `remaining` counts them
 * all and 0 means the old master key may leave the ring. Each service checks the global keys:rotate itself.
 */
@Controller(`${API_PREFIX}/admin/master-key`)
export class MasterKeyController {
  constructor(private readonly rpc: RpcClient) {}

  @Get()
  @ApiRoute({
    summary:
      "Where a master-key rotation stands: the ring, the vault's data keys and identity's signing keys per master key, and how many of both still need re-sealing; keys:rotate (extension)",
    tag: 'admin',
    response: MasterKeyStatus,
  })
  async status(@Ctx() ctx: CallContext): Promise<MasterKeyStatus> {
    const [vault, identity] = await Promise.all([
      this.rpc.request(VaultMasterKeyStatus, {}, ctx),
      this.rpc.request(IdentityMasterKeyStatus, {}, ctx),
    ]);
    assertSameActiveKey(vault.active_master_key_id, identity.active_master_key_id);
    return { ...vault, signing_keys: identity.signing_keys, remaining: vault.remaining + identity.remaining };
  }

  @Post('rotate')
  @HttpCode(200)
  @ApiRoute({
    summary:
      'Re-seal every key not yet under the active master key: vault data keys and identity signing keys (add the new key to LOCKWELL_MASTER_KEY and restart first); `remaining` counts both; resumable and idempotent; keys:rotate (extension)',
    tag: 'admin',
    body: MasterKeyRotateBody,
    response: MasterKeyRotateResult,
    status: 200,
  })
  async rotate(@Ctx() ctx: CallContext, @ValidBody() body: z.output<typeof MasterKeyRotateBody>) {
    // Re-wrapping a large installation takes longer than an ordinary request.
    const vault = await this.rpc.request(VaultMasterKeyRotate, body, ctx, { timeoutMs: 120_000 });
    const identity = await this.rpc.request(IdentityMasterKeyRotate, {}, ctx, { timeoutMs: 120_000 });
    assertSameActiveKey(vault.active_master_key_id, identity.active_master_key_id);
    return {
      active_master_key_id: vault.active_master_key_id,
      rewrapped: vault.rewrapped + identity.rewrapped,
      remaining: vault.remaining + identity.remaining,
    };
  }
}

function assertSameActiveKey(vault: number, identity: number): void {
  if (identity !== vault) {
    throw new LockwellError(
      ErrorCode.INVALID_STATE,
      'The services disagree on the active master key: restart them all with the same LOCKWELL_MASTER_KEY',
    );
  }
}
