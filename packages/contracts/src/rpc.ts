import { z } from 'zod';
import { CallContext } from './principal.js';

/** A request/reply interaction over NATS, declared once: subject `<service>.<resource>.<verb>` plus both shapes. */
export interface RpcContract<Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType> {
  readonly subject: string;
  readonly request: Req;
  readonly response: Res;
}
export type RpcRequest<C extends RpcContract> = z.input<C['request']>;
export type RpcRequestParsed<C extends RpcContract> = z.output<C['request']>;
export type RpcResponse<C extends RpcContract> = z.output<C['response']>;

export const SUBJECT_PATTERN = /^(identity|tenants|vault|connectors|notifications|audit)\.[a-z][a-z-]*\.[a-z][a-z-]*$/;

const registry = new Map<string, RpcContract>();

/** Declares an RPC contract; subjects are unique across the whole catalogue. */
export function defineRpc<Req extends z.ZodType, Res extends z.ZodType>(
  subject: string,
  request: Req,
  response: Res,
): RpcContract<Req, Res> {
  if (registry.has(subject)) throw new Error(`duplicate RPC subject ${subject}`);
  const contract = { subject, request, response };
  registry.set(subject, contract);
  return contract;
}
export const allRpcContracts = (): RpcContract[] => [...registry.values()];

/** The wire envelope of every request: the caller's context and the contract's payload. */
export const RpcEnvelope = z.object({ ctx: CallContext, data: z.unknown() });
export type RpcEnvelope = { ctx: CallContext; data: unknown };
