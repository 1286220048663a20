import { Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { Principal } from '@lockwell/contracts';
import { API_ROUTE, type ApiRouteMeta } from '../openapi/api-route.decorator.js';
import { RateLimits } from '../rate-limit/rate-limits.js';
import { unauthenticated } from './access-token.verifier.js';
import { API_TOKEN_STRATEGY, JWT_STRATEGY } from './bearer.strategies.js';

/**
 * The global guard: every route needs a valid bearer credential unless its @ApiRoute says `public: true`.
 * A route without an @ApiRoute needs a credential too, so a forgotten declaration fails closed. An
 * authenticated caller then spends from its per-user budget (API-2; 429 with Retry-After when spent).
 */
@Injectable()
export class ApiAuthGuard extends AuthGuard([JWT_STRATEGY, API_TOKEN_STRATEGY]) {
  constructor(
    private readonly reflector: Reflector,
    private readonly limits: RateLimits,
  ) {
    super({ property: 'principal', session: false });
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const meta = this.reflector.get<ApiRouteMeta | undefined>(API_ROUTE, context.getHandler());
    if (meta?.public) return true;
    const ok = (await super.canActivate(context)) as boolean;
    const principal = context.switchToHttp().getRequest<{ principal?: Principal }>().principal;
    if (ok && principal) this.limits.assertIdentityWithinLimit(principal);
    return ok;
  }

  // Passport reports "no strategy accepted" as (null, false); strategy errors (503, 401) pass through.
  override handleRequest<T = Principal>(err: unknown, principal: T | false): T {
    if (err) throw err;
    if (!principal) throw unauthenticated('Authentication required');
    return principal;
  }
}
