import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import helmet from '@fastify/helmet';
import { LockwellError, PinoNestLogger, type Logger } from '@lockwell/service-kit';
import { ErrorCode } from '@lockwell/contracts';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppModule } from './app.module.js';
import type { Config } from './config.js';
import { answerClientError } from './http/client-error.js';
import { toErrorResponse } from './http/error.filter.js';
import { HttpMetrics } from './metrics/http-metrics.js';
import { RateLimits } from './rate-limit/rate-limits.js';

const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/** Keeps a well-formed client X-Request-Id (for tracing across systems), otherwise mints one. */
function requestIdFor(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && CLIENT_REQUEST_ID.test(given) ? given : randomUUID();
}

/**
 * Builds the gateway (Fastify): body size limit, trusted proxies for X-Forwarded-For, request ids, security
 * headers, the error envelope for framework-level failures. Shared by main.ts and the e2e tests.
 */
export async function createGateway(config: Config, logger: Logger): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: config.LOCKWELL_BODY_LIMIT_BYTES,
    // X-Forwarded-For is believed only from configured proxies (PW-4); with none, request.ip is the peer.
    trustProxy: config.LOCKWELL_TRUSTED_PROXIES.length ? config.LOCKWELL_TRUSTED_PROXIES : false,
    genReqId: requestIdFor,
    // Hexel clients call collections with a trailing slash (`POST /api/v1/user-secrets/`).
    routerOptions: { ignoreTrailingSlash: true },
    logger: false,
    return503OnClosing: true,
    allowErrorHandlerOverride: true,
    // The router's own failures (an undecodable URL, a path parameter over maxParamLength) happen before
    // any hook: without this they are fastify's body, echoing the path, with no code and no request id.
    frameworkErrors: (err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
      const { status, body } = toErrorResponse(err, logger, req.id);
      void reply.status(status).header('X-Request-Id', req.id).header('Cache-Control', 'no-store').send(body);
    },
    // What Node's HTTP parser refuses before that (oversized headers, malformed requests) gets the envelope too.
    clientErrorHandler: answerClientError,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.register({ config, logger }), adapter, {
    logger: new PinoNestLogger(logger),
    bodyParser: true,
    // A provider that fails to start (NATS unreachable, a bad key) rejects to the caller (main.ts logs it).
    abortOnError: false,
  });
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        // Local runs serve /docs over plain http: upgrading its assets to https would break the page.
        upgradeInsecureRequests: config.NODE_ENV === 'production' ? [] : null,
      },
    },
    hsts: config.NODE_ENV === 'production',
  });
  const fastify = app.getHttpAdapter().getInstance();
  const limits = app.get(RateLimits);
  fastify.addHook('onRequest', async (req, reply) => {
    void reply.header('X-Request-Id', req.id);
    // API responses may carry secrets or tokens: never cache them (SES-11).
    if (req.url.startsWith('/api/')) void reply.header('Cache-Control', 'no-store');
    // Every route, before any work: the per-address budget (API-2).
    const decision = limits.forAddress(req.ip);
    if (!decision.allowed) {
      const { status, body } = toErrorResponse(
        new LockwellError(ErrorCode.RATE_LIMITED, 'Too many requests from this address'),
        logger,
        req.id,
      );
      return reply
        .status(status)
        .header('Retry-After', String(decision.retryAfterSeconds))
        .header('Cache-Control', 'no-store')
        .send(body);
    }
  });
  const metrics = app.get(HttpMetrics);
  fastify.addHook('onResponse', async (req, reply) => {
    metrics.observe(req.method, req.routeOptions.url, reply.statusCode, reply.elapsedTime / 1000);
  });
  // Errors fastify raises before a route runs (bad JSON, body too large, wrong content type). Nest installs
  // a default handler first; replacing it here is intended.
  fastify.setErrorHandler((err, req, reply) => {
    const { status, body } = toErrorResponse(err, logger, req.id);
    void reply.status(status).send(body);
  });
  app.enableShutdownHooks();
  return app;
}
