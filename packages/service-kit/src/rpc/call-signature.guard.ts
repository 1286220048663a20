import { Inject, Injectable, Logger, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { RpcException, type NatsContext } from '@nestjs/microservices';
import { ErrorCode, inboxPrefixOf, isBusIdentity, rpcContractFor } from '@lockwell/contracts';
import { BUS_CREDENTIALS } from '../tokens.js';
import type { BusCredentials } from '../nats/bus-credentials.js';
import { verifyCall } from './call-signature.js';
import { SeenNonces } from './seen-nonces.js';

/**
 * Refuses every request that is not a fresh call, signed by an identity the contract lists as a caller, whose
 * reply goes to that caller's own inbox, and whose nonce was not seen before (AZ-5). A message forged on NATS
 * with someone else's principal, a call replayed within its window, and a call signed by a service that may
 * not make it (a compromised vault impersonating the gateway) all get UNAUTHENTICATED before any handler runs.
 */
@Injectable()
export class CallSignatureGuard implements CanActivate {
  private readonly logger = new Logger('CallSignatureGuard');
  private readonly nonces = new SeenNonces();

  constructor(@Inject(BUS_CREDENTIALS) private readonly bus: BusCredentials) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'rpc') return true;
    const rpc = context.switchToRpc();
    const envelope = (rpc.getData() ?? {}) as {
      ctx?: unknown;
      data?: unknown;
      auth?: unknown;
      budgetMs?: unknown;
      reply?: unknown;
    };
    const subject = rpc.getContext<NatsContext>().getSubject();
    const now = Date.now();
    const verdict = verifyCall(
      this.bus.keyring,
      subject,
      envelope.ctx,
      envelope.data,
      envelope.auth,
      now,
      envelope.budgetMs,
    );
    if (typeof verdict === 'string') return this.refuse(subject, verdict);
    const by = verdict.by;
    if (!isBusIdentity(by) || !rpcContractFor(subject)?.callers.includes(by))
      return this.refuse(subject, `not-a-caller (${by})`);
    if (typeof envelope.reply !== 'string' || !envelope.reply.startsWith(`${inboxPrefixOf(by)}.`))
      return this.refuse(subject, 'reply-elsewhere');
    if (!this.nonces.firstUse(verdict.nonce, now)) return this.refuse(subject, 'replayed');
    return true;
  }

  private refuse(subject: string, reason: string): never {
    this.logger.warn(`refused a call on ${subject}: ${reason}`);
    throw new RpcException({
      code: ErrorCode.UNAUTHENTICATED,
      message: 'The call is not signed by a Lockwell component allowed to make it',
    });
  }
}
