// The audit service's cost (docs/audit.md "Measured"): BENCH_AUDIT_RECORDS audit events are put on the stream
// first (a backlog, as after an outage), then the audit service is started and timed until it recorded them
// all (ingest: one transaction per event, chained), then one chain walk of /audit/verify is timed. Prints the
// figures; asserts nothing about speed.
import { AuditChainVerify } from '@lockwell/contracts';
import { loadBusCredentials, NatsBus } from '@lockwell/service-kit';
import { busEnv, eventually, startTestNats } from '@lockwell/testing';
import type { NatsHandle } from '@lockwell/local-infra';
import { randomUUID } from 'node:crypto';
import {
  auditEvent,
  auditor,
  publishAudit,
  startAudit,
  type AuditUnderTest,
} from '../apps/audit/test/factories/audit.js';

const RECORDS = Number(process.env.BENCH_AUDIT_RECORDS ?? 20_000);

describe('audit ingest and verification cost', () => {
  let nats: NatsHandle;
  let audit: AuditUnderTest;
  const tenant = randomUUID();

  beforeAll(async () => {
    nats = await startTestNats();
    const bus = await NatsBus.connect(loadBusCredentials('vault', busEnv(nats, 'vault')), 'bench-streams');
    await bus.ensureStreams();
    await bus.close();
  });
  afterAll(async () => {
    await audit?.stop();
    await nats?.stop();
  });

  it('measures ingest of a backlog and one chain walk', async () => {
    const t0 = performance.now();
    for (let i = 0; i < RECORDS; i += 1000) {
      await publishAudit(
        nats,
        Array.from({ length: Math.min(1000, RECORDS - i) }, (_, j) =>
          auditEvent({ tenant_id: tenant, detail: { n: i + j } }),
        ),
      );
    }
    const published = performance.now() - t0;
    const t1 = performance.now();
    audit = await startAudit({ nats });
    await eventually(
      async () => {
        const rows = await audit
          .em()
          .getConnection()
          .execute(`select count(*)::int as n from audit_records where chain = ?`, [tenant]);
        return rows[0].n >= RECORDS;
      },
      600_000,
      250,
    );
    const ingested = performance.now() - t1;
    const t2 = performance.now();
    const result = await audit.rpc.request(AuditChainVerify, { tenant_id: tenant }, auditor(), { timeoutMs: 600_000 });
    const walked = performance.now() - t2;
    expect(result).toMatchObject({ intact: true, records_checked: RECORDS });
    process.stdout.write(
      `audit: ${RECORDS} events published in ${Math.round(published)} ms; ingested (start included) in ${Math.round(ingested)} ms = ${Math.round(RECORDS / (ingested / 1000))} records/s; ` +
        `verify walked ${RECORDS} in ${Math.round(walked)} ms = ${Math.round(RECORDS / (walked / 1000))} records/s\n`,
    );
  });
});
