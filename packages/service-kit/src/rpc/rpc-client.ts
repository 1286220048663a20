import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { ClientProxy } from '@nestjs/microservices';
import { ErrorCode, type CallContext, type RpcContract, type RpcRequest, type RpcResponse } from '@lockwell/contracts';
import { firstValueFrom, timeout, TimeoutError } from 'rxjs';
import { LockwellError } from '../errors/lockwell-error.js';
import { signCall } from './call-signature.js';

export const NATS_RPC_PROXY = Symbol('NATS_RPC_PROXY');
export const RPC_TIMEOUT_MS = Symbol('RPC_TIMEOUT_MS');
export const RPC_INTERNAL_KEY = Symbol('RPC_INTERNAL_KEY');

/**
 * Typed request/reply over NATS: `rpc.request(VaultSecretGet, data, ctx)`. Every call has a deadline, which
 * travels with the request as `budgetMs`; a timeout, a missing responder or a lost NATS connection becomes
 * SERVICE_UNAVAILABLE (the gateway answers 503, never hangs), and a remote error comes back as the
 * LockwellError it was.
 */
@Injectable()
export class RpcClient implements OnApplicationShutdown {
  constructor(
    @Inject(NATS_RPC_PROXY) private readonly proxy: ClientProxy,
    @Inject(RPC_TIMEOUT_MS) private readonly timeoutMs: number,
    @Inject(RPC_INTERNAL_KEY) private readonly internalKey: string,
  ) {}

  async request<C extends RpcContract>(contract: C, data: RpcRequest<C>, ctx: CallContext, opts: { timeoutMs?: number } = {}): Promise<RpcResponse<C>> {
    try {
      const auth = signCall(this.internalKey, contract.subject, ctx, data, Date.now());
      const budgetMs = opts.timeoutMs ?? this.timeoutMs;
      // budgetMs tells the service how long we wait, so it never commits a write after we answered 503.
      return await firstValueFrom(this.proxy.send(contract.subject, { ctx, data, auth, budgetMs }).pipe(timeout(budgetMs)));
    } catch (err) {
      throw toLockwellError(err, contract.subject);
    }
  }

  async onApplicationShutdown() {
    await this.proxy.close();
  }
}

function toLockwellError(err: unknown, subject: string): LockwellError {
  if (err instanceof LockwellError) return err;
  const service = subject.split('.')[0];
  if (err instanceof TimeoutError) return new LockwellError(ErrorCode.SERVICE_UNAVAILABLE, `The ${service} service did not answer in time`);
  if (err && typeof err === 'object' && 'code' in err && typeof (err as { code: unknown }).code === 'string' && (err as { code: string }).code in ErrorCode) {
    return LockwellError.fromBody(err);
  }
  // nats.js reports "no responders" and closed connections as plain errors: the dependency is down.
  return new LockwellError(ErrorCode.SERVICE_UNAVAILABLE, `The ${service} service is unavailable`);
}
