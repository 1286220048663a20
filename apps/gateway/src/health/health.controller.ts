import { Controller, Get, Inject, Res } from '@nestjs/common';
import { HealthCheck, SERVICE_NAMES, systemContext } from '@lockwell/contracts';
import { NATS_BUS, RpcClient, type NatsBus } from '@lockwell/service-kit';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { ApiRoute } from '../openapi/api-route.decorator.js';
import { UNAVAILABLE_RETRY_AFTER_SECONDS } from '../http/error.filter.js';
import { RevokedSessions } from '../auth/revoked-sessions.js';

const READY_TIMEOUT_MS = 2000;
// Services no request waits for: while the audit service is down, audit events wait in their stream and every
// request still works (docs/audit.md), so taking the gateway out of rotation would block for nothing.
const NOT_REQUIRED_FOR_READINESS: ReadonlySet<string> = new Set(['audit']);

const Readiness = z.object({
  status: z.enum(['ready', 'not_ready']),
  nats: z.boolean(),
  /** JWT authentication can decide (the revoked-session list from identity has loaded); until then it answers 503. */
  auth: z.boolean(),
  services: z.array(
    z.object({
      name: z.string(),
      ok: z.boolean(),
      database: z.boolean().nullable(),
      /** false: the gateway is ready without it (the audit service: its events wait in their stream). */
      required: z.boolean(),
      /** Service gauges, e.g. `audit_consumer_pending`: audit events not recorded yet. */
      figures: z.record(z.string(), z.number()).optional(),
    }),
  ),
});

/** Liveness and readiness for orchestrators and `npm start`. */
@Controller()
export class HealthController {
  constructor(
    private readonly rpc: RpcClient,
    @Inject(NATS_BUS) private readonly bus: NatsBus,
    private readonly revoked: RevokedSessions,
  ) {}

  @Get('healthz')
  @ApiRoute({
    summary: 'The gateway process is up',
    tag: 'operations',
    public: true,
    response: z.object({ status: z.literal('ok') }),
  })
  healthz() {
    return { status: 'ok' as const };
  }

  @Get('readyz')
  @ApiRoute({
    summary:
      "200 only when NATS and every required service (each with its database; all but audit) answer and authentication is available; the body lists each service, with gauges such as the audit consumer's lag; 503 with Retry-After otherwise",
    tag: 'operations',
    public: true,
    response: Readiness,
  })
  async readyz(@Res({ passthrough: true }) reply: FastifyReply) {
    const nats = await this.natsReachable();
    const services = await Promise.all(
      SERVICE_NAMES.map(async (name) => {
        const required = !NOT_REQUIRED_FOR_READINESS.has(name);
        try {
          const report = await this.rpc.request(HealthCheck[name], {}, systemContext('readyz'), {
            timeoutMs: READY_TIMEOUT_MS,
          });
          return {
            name,
            ok: report.status === 'ok',
            database: report.database,
            required,
            ...(report.figures ? { figures: report.figures } : {}),
          };
        } catch {
          return { name, ok: false, database: null, required };
        }
      }),
    );
    const auth = this.revoked.ready;
    const ready = nats && auth && services.every((s) => s.ok || !s.required);
    void reply.status(ready ? 200 : 503);
    if (!ready) void reply.header('Retry-After', String(UNAVAILABLE_RETRY_AFTER_SECONDS));
    return { status: ready ? ('ready' as const) : ('not_ready' as const), nats, auth, services };
  }

  private async natsReachable(): Promise<boolean> {
    try {
      await this.bus.nc.rtt();
      return true;
    } catch {
      return false;
    }
  }
}
