import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/**
 * Prometheus metrics of the gateway: requests by method, route pattern (never the raw URL, which holds ids)
 * and status, their latency, and Node's process metrics. One registry per gateway instance.
 */
@Injectable()
export class HttpMetrics {
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: 'lockwell_http_requests_total',
    help: 'HTTP requests answered by the gateway',
    labelNames: ['method', 'route', 'status'],
    registers: [this.registry],
  });
  private readonly duration = new Histogram({
    name: 'lockwell_http_request_duration_seconds',
    help: 'Time from request to response in the gateway',
    labelNames: ['method', 'route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'lockwell_gateway_' });
  }

  /** `route` is the matched pattern (e.g. /api/v1/user-secrets/:secret_id), or `unmatched`. */
  observe(method: string, route: string | undefined, status: number, seconds: number): void {
    const r = route ?? 'unmatched';
    this.requests.inc({ method, route: r, status: String(status) });
    this.duration.observe({ method, route: r }, seconds);
  }
}
