import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { RpcException, type NatsContext } from '@nestjs/microservices';
import { ErrorCode } from '@lockwell/contracts';
import { RPC_INTERNAL_KEY } from './rpc-client.js';
import { verifyCall } from './call-signature.js';

/**
 * Refuses every request whose call context is not signed with the internal key (AZ-5): a message forged on
 * NATS, or replayed later, with someone else's principal gets UNAUTHENTICATED before any handler runs.
 */
@Injectable()
export class CallSignatureGuard implements CanActivate {
  constructor(@Inject(RPC_INTERNAL_KEY) private readonly internalKey: string) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'rpc') return true;
    const rpc = context.switchToRpc();
    const envelope = (rpc.getData() ?? {}) as { ctx?: unknown; data?: unknown; auth?: unknown };
    const subject = rpc.getContext<NatsContext>().getSubject();
    if (!verifyCall(this.internalKey, subject, envelope.ctx, envelope.data, envelope.auth, Date.now())) {
      throw new RpcException({ code: ErrorCode.UNAUTHENTICATED, message: 'The call is not signed by a Lockwell component' });
    }
    return true;
  }
}
