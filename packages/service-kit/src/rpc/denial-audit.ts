import { Logger } from '@nestjs/common';
import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Uuid, type CallContext, type RpcContract } from '@lockwell/contracts';
import type { LockwellError } from '../errors/lockwell-error.js';
import type { Outbox } from '../outbox/outbox.service.js';

const logger = new Logger('DenialAudit');
// The payload field that names what was acted on, most specific first.
const RESOURCE_FIELDS = [
  'secret_id',
  'token_id',
  'session_id',
  'user_id',
  'role_id',
  'webhook_id',
  'connection_id',
  'service_id',
  'tenant_id',
] as const;

/**
 * Writes the one `authz.denied` audit record of a refused call (AUD-2), in its own transaction (the call's own
 * work rolled back). Its resource is the operation's (`tenants.member.add` -> `member`) and the most specific id
 * of the payload; its detail names the operation and the error code, never the payload itself. A refusal that
 * cannot be recorded (database down) is logged, and the caller still gets the refusal.
 */
export async function recordDenial(
  orm: MikroORM,
  outbox: Outbox,
  contract: RpcContract,
  payload: unknown,
  ctx: CallContext,
  err: LockwellError,
): Promise<void> {
  const fields = (payload && typeof payload === 'object' ? payload : {}) as Record<string, unknown>;
  const idField = RESOURCE_FIELDS.find((f) => typeof fields[f] === 'string');
  const tenantId = Uuid.safeParse(fields.tenant_id).success ? (fields.tenant_id as string) : null;
  try {
    await (orm.em.fork() as EntityManager).transactional(async (em) => {
      outbox.audit(em, ctx, {
        action: 'authz.denied',
        resourceType: contract.subject.split('.')[1] ?? 'unknown',
        resourceId: idField ? String(fields[idField]).slice(0, 100) : null,
        tenantId,
        outcome: 'denied',
        detail: { operation: contract.subject, code: err.code },
      });
    });
    err.deniedRecorded = true;
  } catch (auditErr) {
    logger.error(
      `refusal of ${contract.subject} (request ${ctx.requestId}) could not be audited: ${(auditErr as Error).name}`,
    );
  }
}
