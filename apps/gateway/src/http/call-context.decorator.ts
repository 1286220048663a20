import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { CallContext, Principal } from '@lockwell/contracts';
import type { FastifyRequest } from 'fastify';

/** The principal the auth guard attached to the request (null on public routes). */
export type AuthenticatedRequest = FastifyRequest & { principal?: Principal | null };

/** Builds the CallContext that travels with every NATS request from the HTTP request. */
export function callContextOf(req: AuthenticatedRequest): CallContext {
  const ua = req.headers['user-agent'];
  return {
    requestId: req.id,
    principal: req.principal ?? null,
    // request.ip honours X-Forwarded-For only from LOCKWELL_TRUSTED_PROXIES (fastify trustProxy).
    ip: req.ip ?? null,
    userAgent: typeof ua === 'string' ? ua.slice(0, 512) : null,
  };
}

/** `@Ctx() ctx: CallContext` in a controller method. */
export const Ctx = createParamDecorator((_: unknown, context: ExecutionContext) =>
  callContextOf(context.switchToHttp().getRequest()),
);
