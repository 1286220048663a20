import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { ClientProxy } from '@nestjs/microservices';
import { ErrorCode, type CallContext, type RpcContract, type RpcRequest, type RpcResponse } from '@lockwell/contracts';
import { firstValueFrom, timeout, TimeoutError } from 'rxjs';
import { LockwellError } from '../errors/lockwell-error.js';
import type { BusCredentials } from '../nats/bus-credentials.js';
import { BUS_CREDENTIALS } from '../tokens.js';
import { signCall } from './call-signature.js';

export const NATS_RPC_PROXY = Symbol('NATS_RPC_PROXY');
export const RPC_TIMEOUT_MS = Symbol('RPC_TIMEOUT_MS');

/**
 * Typed request/reply over NATS: `rpc.request(VaultSecretGet, data, ctx)`. Every call is signed with this
 * process's key and has a deadline, which travels with the request as `budgetMs` (signed too); a timeout, a
 * missing responder or a lost NATS connection becomes SERVICE_UNAVAILABLE (the gateway answers 503, never
 * hangs), and a remote error comes back as the LockwellError it was.
 */
@Injectable()
export class RpcClient implements OnApplicationShutdown {
  constructor(
    @Inject(NATS_RPC_PROXY) private readonly proxy: ClientProxy,
    @Inject(RPC_TIMEOUT_MS) private readonly timeoutMs: number,
    @Inject(BUS_CREDENTIALS) private readonly bus: BusCredentials,
  ) {}

  async request<C extends RpcContract>(
    contract: C,
    data: RpcRequest<C>,
    ctx: CallContext,
    opts: { timeoutMs?: number } = {},
  ): Promise<RpcResponse<C>> {
    // The bus would drop the publish (a silent timeout); say plainly which declaration is missing instead.
    if (!contract.callers?.includes(this.bus.identity)) {
      throw new LockwellError(
        ErrorCode.INTERNAL,
        `${this.bus.identity} is not declared as a caller of ${contract.subject} (packages/contracts)`,
      );
    }
    try {
      const budgetMs = opts.timeoutMs ?? this.timeoutMs;
      // budgetMs tells the service how long we wait, so it never commits a write after we answered 503; it is
      // signed with the call, so nobody on the path can shorten it to make the service refuse.
      const auth = signCall(this.bus.signer, contract.subject, ctx, data, Date.now(), budgetMs);
      return await firstValueFrom(
        this.proxy.send(contract.subject, { ctx, data, auth, budgetMs }).pipe(timeout(budgetMs)),
      );
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
  if (err instanceof TimeoutError)
    return new LockwellError(ErrorCode.SERVICE_UNAVAILABLE, `The ${service} service did not answer in time`);
  if (
    err &&
    typeof err === 'object' &&
    'code' in err &&
    typeof (err as { code: unknown }).code === 'string' &&
    (err as { code: string }).code in ErrorCode
  ) {
    return LockwellError.fromBody(err);
  }
  // nats.js reports "no responders" and closed connections as plain errors: the dependency is down.
  return new LockwellError(ErrorCode.SERVICE_UNAVAILABLE, `The ${service} service is unavailable`);
}
