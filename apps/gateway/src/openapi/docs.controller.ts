import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { FastifyReply } from 'fastify';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { GATEWAY_CONFIG, type Config } from '../config.js';
import { ApiRoute } from './api-route.decorator.js';
import { buildOpenApiDocument } from './openapi-document.js';

const swaggerUiDir = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
};
const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>Lockwell API</title>
<link rel="stylesheet" href="/docs/swagger-ui.css"></head><body><div id="ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script><script src="/docs/init.js"></script></body></html>`;
// A separate file, not an inline script, so the page works under the strict Content-Security-Policy.
const INIT = `window.ui = SwaggerUIBundle({ url: '/docs/json', dom_id: '#ui' });`;

/** Serves the OpenAPI document generated from the controllers, and Swagger UI from local files. */
@Controller('docs')
export class DocsController {
  private document?: Record<string, unknown>;

  constructor(
    private readonly discovery: DiscoveryService,
    @Inject(GATEWAY_CONFIG) private readonly config: Config,
  ) {}

  @Get('json')
  @ApiRoute({ summary: 'This OpenAPI document', tag: 'operations', public: true })
  json() {
    this.document ??= buildOpenApiDocument(
      this.discovery
        .getControllers()
        .map((w) => w.metatype as { prototype: object })
        .filter(Boolean),
      this.config.LOCKWELL_PUBLIC_URL,
    );
    return this.document;
  }

  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  @ApiRoute({ summary: 'Swagger UI for the OpenAPI document', tag: 'operations', public: true })
  page() {
    return PAGE;
  }

  @Get('init.js')
  @ApiRoute({ summary: 'Swagger UI start-up script', tag: 'operations', public: true, hidden: true })
  @Header('content-type', 'application/javascript; charset=utf-8')
  init() {
    return INIT;
  }

  @Get('swagger-ui.css')
  @ApiRoute({ summary: 'Swagger UI stylesheet', tag: 'operations', public: true, hidden: true })
  css(@Res() reply: FastifyReply) {
    return this.asset('swagger-ui.css', reply);
  }

  @Get('swagger-ui-bundle.js')
  @ApiRoute({ summary: 'Swagger UI script', tag: 'operations', public: true, hidden: true })
  bundle(@Res() reply: FastifyReply) {
    return this.asset('swagger-ui-bundle.js', reply);
  }

  private asset(name: string, reply: FastifyReply) {
    void reply
      .header('content-type', ASSETS[name])
      .header('cache-control', 'public, max-age=3600')
      .send(readFileSync(path.join(swaggerUiDir, name)));
  }
}
