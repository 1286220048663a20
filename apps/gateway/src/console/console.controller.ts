import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ErrorCode } from '@lockwell/contracts';
import { LockwellError } from '@lockwell/service-kit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiRoute } from '../openapi/api-route.decorator.js';
import { CONSOLE_ASSETS, CONSOLE_CSP } from './console.constants.js';
import type { ConsoleAssets } from './console-assets.js';

/** Paths that belong to the API and operations: an unknown one there is a JSON 404, never the console's page. */
const NOT_CONSOLE = /^\/(api|docs|healthz|readyz|metrics|\.well-known)(\/|$)/;

/**
 * Serves the web console under `/`: its files, and index.html for every other GET path so client-side routes
 * survive a reload. Every answer carries the console's own strict Content-Security-Policy (API-4).
 */
@Controller()
export class ConsoleController {
  constructor(@Inject(CONSOLE_ASSETS) private readonly assets: ConsoleAssets) {}

  @Get('*')
  @ApiRoute({
    summary: 'The web console (static files, index.html for client routes)',
    tag: 'console',
    public: true,
    hidden: true,
  })
  serve(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const urlPath = decodeURIComponentSafe(req.url.split('?')[0]!);
    if (NOT_CONSOLE.test(urlPath)) throw new LockwellError(ErrorCode.ROUTE_NOT_FOUND, 'No such route');
    const asset = this.assets.file(urlPath) ?? (hasExtension(urlPath) ? undefined : this.assets.index);
    if (!asset) {
      if (!this.assets.built) {
        void reply
          .status(503)
          .header('content-type', 'text/plain; charset=utf-8')
          .header('cache-control', 'no-store')
          .send(`The console is not built (looked in ${this.assets.dir}). Run: npm run build`);
        return;
      }
      throw new LockwellError(ErrorCode.ROUTE_NOT_FOUND, 'No such route');
    }
    void reply
      .header('content-type', asset.contentType)
      .header('content-security-policy', CONSOLE_CSP)
      .header('cache-control', asset.immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
      .send(asset.body);
  }
}

function hasExtension(urlPath: string): boolean {
  return /\.[A-Za-z0-9]{1,8}$/.test(urlPath);
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
