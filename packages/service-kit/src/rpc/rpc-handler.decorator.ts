import { Inject, Logger, Optional } from '@nestjs/common';
import { MessagePattern, RpcException } from '@nestjs/microservices';
import { MikroORM, RequestContext } from '@mikro-orm/core';
import { CallContext, ErrorCode, type RpcContract, type RpcRequestParsed } from '@lockwell/contracts';
import { z } from 'zod';
import { LockwellError, parseOrThrow } from '../errors/lockwell-error.js';
import { assertNoNul } from '../errors/no-nul.js';
import { isDatabaseUnavailable } from '../database/database-errors.js';
import { runWithCallBudget } from './call-deadline.js';
import { Outbox } from '../outbox/outbox.service.js';
import { recordDenial } from './denial-audit.js';

const logger = new Logger('RpcHandler');
const Envelope = z.object({ ctx: CallContext, data: z.unknown() });
// Where the decorator has Nest inject the service's MikroORM into every handler class (a key no class can
// clash with), so each call gets its own unit of work whatever the class's constructor takes.
const ORM = Symbol('RpcHandler.orm');
const OUTBOX = Symbol('RpcHandler.outbox');
const wired = new WeakSet<object>();

/** Has Nest inject MikroORM and the outbox into `prototype`'s instances; optional, for handlers without a database. */
function injectOrm(prototype: object): void {
  if (wired.has(prototype)) return;
  wired.add(prototype);
  Inject(MikroORM)(prototype, ORM);
  Optional()(prototype, ORM);
  Inject(Outbox)(prototype, OUTBOX);
  Optional()(prototype, OUTBOX);
}

/** Converts anything thrown by a handler into the `{code, message, details?}` body that crosses the bus. */
export function toRpcException(err: unknown): RpcException {
  if (err instanceof LockwellError) return new RpcException(err.toBody());
  if (isDatabaseUnavailable(err)) {
    // A dependency problem, not a bug: the caller gets 503 and retries. Only the error's class and code are
    // logged (the driver's message may quote SQL).
    const { name, code } = err as { name?: string; code?: string };
    logger.warn(`database unavailable (${name ?? 'Error'}${code ? ` ${code}` : ''}): answering SERVICE_UNAVAILABLE`);
    return new RpcException({
      code: ErrorCode.SERVICE_UNAVAILABLE,
      message: 'A database Lockwell depends on is unavailable; retry shortly',
    });
  }
  // Unknown failures are logged in full here and reach the caller only as INTERNAL (no stack, no SQL).
  logger.error(err instanceof Error ? err : String(err));
  return new RpcException({ code: ErrorCode.INTERNAL, message: 'Internal error' });
}

type HandlerFn<C extends RpcContract> = (
  data: RpcRequestParsed<C>,
  ctx: CallContext,
) => Promise<z.input<C['response']>> | z.input<C['response']>;

/**
 * Marks a method as the handler of an RPC contract: subscribes to its subject (in the service's queue
 * group), validates the envelope and payload with the contract before the method runs (a malformed message,
 * or one with a NUL character PostgreSQL cannot store, is VALIDATION_FAILED, never a crash), runs it in its
 * own MikroORM unit of work (the service's database, injected by this decorator; none in a process without
 * one, such as a test stand-in), under the caller's time budget (no commit after the caller gave up), audits
 * an authorisation refusal once (AUD-2, see denial-audit.ts), and serialises the reply through the contract's response schema, so unlisted fields (hashes, ciphertext) can
 * never leave the service.
 */
export function RpcHandler<C extends RpcContract>(contract: C) {
  return <M extends HandlerFn<C>>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<M>) => {
    const handler = descriptor.value! as HandlerFn<C>;
    injectOrm(target);
    const wrapped = async function (this: { [ORM]?: MikroORM; [OUTBOX]?: Outbox }, envelope: unknown) {
      const receivedAt = Date.now();
      let call: { ctx: CallContext; payload: unknown } | undefined;
      try {
        const { ctx, data } = parseOrThrow(Envelope, envelope);
        const payload = parseOrThrow(contract.request, assertNoNul(data)) as RpcRequestParsed<C>;
        call = { ctx, payload };
        const run = async () => contract.response.parse(await handler.call(this, payload, ctx));
        const budgetMs = (envelope as { budgetMs?: unknown }).budgetMs;
        const orm = this[ORM];
        return await runWithCallBudget(budgetMs, receivedAt, () => (orm ? RequestContext.create(orm.em, run) : run()));
      } catch (err) {
        const orm = this[ORM];
        const outbox = this[OUTBOX];
        if (call && orm && outbox && err instanceof LockwellError && err.isDenial && !err.deniedRecorded)
          await recordDenial(orm, outbox, contract, call.payload, call.ctx, err);
        throw toRpcException(err);
      }
    };
    descriptor.value = wrapped as unknown as M;
    MessagePattern(contract.subject)(target, key, descriptor);
  };
}
