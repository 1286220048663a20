import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import { ErrorCode } from '@lockwell/contracts';
import { constantTimeEqual } from '@lockwell/crypto';
import { LockwellError } from '@lockwell/service-kit';
import type { FastifyReply } from 'fastify';
import { GATEWAY_CONFIG, type Config } from '../config.js';
import { ApiRoute } from '../openapi/api-route.decorator.js';
import { HttpMetrics } from './http-metrics.js';

/**
 * Whether a scrape may read the metrics: locally anyone may; in production only a scraper presenting
 * LOCKWELL_METRICS_TOKEN, and without that setting the route does not exist (docs/api.md "Operations").
 */
export function metricsAccess(
  config: Pick<Config, 'NODE_ENV' | 'LOCKWELL_METRICS_TOKEN'>,
  authorization: string | undefined,
): 'allowed' | 'hidden' | 'denied' {
  if (config.LOCKWELL_METRICS_TOKEN) {
    return authorization !== undefined && constantTimeEqual(authorization, `Bearer ${config.LOCKWELL_METRICS_TOKEN}`)
      ? 'allowed'
      : 'denied';
  }
  return config.NODE_ENV === 'production' ? 'hidden' : 'allowed';
}

@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: HttpMetrics,
    @Inject(GATEWAY_CONFIG) private readonly config: Config,
  ) {}

  @Get()
  @ApiRoute({
    summary: 'Prometheus metrics (local runs: open; production: only with LOCKWELL_METRICS_TOKEN as a bearer token)',
    tag: 'operations',
    public: true,
  })
  async scrape(@Headers('authorization') authorization: string | undefined, @Res() reply: FastifyReply) {
    const access = metricsAccess(this.config, authorization);
    if (access === 'hidden') throw new LockwellError(ErrorCode.ROUTE_NOT_FOUND, 'No such route');
    if (access === 'denied') throw new LockwellError(ErrorCode.UNAUTHENTICATED, 'Authentication required');
    void reply.header('content-type', this.metrics.registry.contentType).send(await this.metrics.registry.metrics());
  }
}
