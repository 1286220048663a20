import { z } from 'zod';
import type { BusIdentity } from './bus/identities.js';
import { CallContext } from './principal.js';
import { serviceNamesPattern } from './services.js';

/**
 * A request/reply interaction over NATS, declared once: subject `<service>.<resource>.<verb>` plus both shapes,
 * and who may call it. Only those callers get permission to publish on the subject (API-6), and the owning
 * service refuses a call signed by anyone else (AZ-5).
 */
export interface RpcContract<Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType> {
  readonly subject: string;
  readonly request: Req;
  readonly response: Res;
  readonly callers: readonly BusIdentity[];
}

export interface RpcOptions {
  /** Who may call it; the public API behind the gateway is the default. */
  callers?: readonly BusIdentity[];
}
export type RpcRequest<C extends RpcContract> = z.input<C['request']>;
export type RpcRequestParsed<C extends RpcContract> = z.output<C['request']>;
export type RpcResponse<C extends RpcContract> = z.output<C['response']>;

export const SUBJECT_PATTERN = new RegExp(`^${serviceNamesPattern()}\\.[a-z][a-z-]*\\.[a-z][a-z-]*$`);

const registry = new Map<string, RpcContract>();

/** Declares an RPC contract; subjects are unique across the whole catalogue. */
export function defineRpc<Req extends z.ZodType, Res extends z.ZodType>(
  subject: string,
  request: Req,
  response: Res,
  opts: RpcOptions = {},
): RpcContract<Req, Res> {
  if (registry.has(subject)) throw new Error(`duplicate RPC subject ${subject}`);
  const contract = { subject, request, response, callers: opts.callers ?? ['gateway'] };
  registry.set(subject, contract);
  return contract;
}
export const allRpcContracts = (): RpcContract[] => [...registry.values()];
/** The contract of a subject, if one was declared. */
export const rpcContractFor = (subject: string): RpcContract | undefined => registry.get(subject);

/** The wire envelope of every request: the caller's context and the contract's payload. */
export const RpcEnvelope = z.object({ ctx: CallContext, data: z.unknown() });
export type RpcEnvelope = { ctx: CallContext; data: unknown };
