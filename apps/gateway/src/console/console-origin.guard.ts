import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ErrorCode } from '@lockwell/contracts';
import { LockwellError } from '@lockwell/service-kit';
import type { FastifyRequest } from 'fastify';
import { GATEWAY_CONFIG, type Config } from '../config.js';

/** The header the console sends on its session calls; a cross-site form or a simple request cannot set it. */
export const CONSOLE_HEADER = 'x-lockwell-console';

const refused = (why: string) =>
  new LockwellError(
    ErrorCode.FORBIDDEN,
    `The console session routes accept only requests from the console itself (${why})`,
  );

/**
 * CSRF defence of the cookie-authenticated session routes (SES-10), in depth beside SameSite=Strict:
 * - the custom header: a cross-origin page can only send it after a CORS preflight, which the gateway never grants;
 * - `Origin` must be present and name this gateway: LOCKWELL_PUBLIC_URL's origin when configured, otherwise the
 *   request's own Host (scheme aside, since TLS may end at a proxy in front);
 * - `Sec-Fetch-Site`, when the browser sends it, must be `same-origin`.
 */
@Injectable()
export class ConsoleOriginGuard implements CanActivate {
  constructor(@Inject(GATEWAY_CONFIG) private readonly config: Config) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    if (req.headers[CONSOLE_HEADER] !== '1') throw refused(`header ${CONSOLE_HEADER}: 1 missing`);
    const fetchSite = req.headers['sec-fetch-site'];
    if (fetchSite !== undefined && fetchSite !== 'same-origin') throw refused('cross-site request');
    const origin = req.headers.origin;
    if (typeof origin !== 'string' || !this.isOwnOrigin(origin, req)) throw refused('Origin missing or foreign');
    return true;
  }

  private isOwnOrigin(origin: string, req: FastifyRequest): boolean {
    let given: URL;
    try {
      given = new URL(origin);
    } catch {
      return false;
    }
    if (this.config.LOCKWELL_PUBLIC_URL) return given.origin === new URL(this.config.LOCKWELL_PUBLIC_URL).origin;
    return (given.protocol === 'http:' || given.protocol === 'https:') && given.host === req.headers.host;
  }
}
