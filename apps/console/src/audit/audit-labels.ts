import type { AuditRecord, AuditVerification } from '../api/types';

/** Actions the services record (docs/audit.md "Coverage"), offered as suggestions; any other name can be typed. */
export const KNOWN_ACTIONS = [
  'secret.create',
  'secret.read',
  'secret.update',
  'secret.rollback',
  'secret.list',
  'secret.delete',
  'secret.schedule-deletion',
  'secret.cancel-deletion',
  'secret.inactive',
  'secret.expiring',
  'member.add',
  'member.update',
  'member.remove',
  'tenant.create',
  'tenant.update',
  'tenant.delete',
  'authz.denied',
];

export const OUTCOMES: AuditRecord['outcome'][] = ['success', 'failed', 'denied'];

/** Who acted, as a person reads it: a member's email when the id is a member's. */
export function actorLabel(actor: AuditRecord['actor'], emails: Map<string, string>): string {
  if (actor.type === 'user') return (actor.id && emails.get(actor.id)) ?? `user ${actor.id ?? ''}`.trim();
  if (actor.type === 'api_token') return `API token ${actor.id ?? ''}`.trim();
  if (actor.type === 'system') return `system (${actor.id ?? 'job'})`;
  return 'anonymous';
}

/** What each verification problem means (docs/audit.md "Verification"). */
export const PROBLEMS: Record<NonNullable<AuditVerification['problem']>, string> = {
  hash_mismatch: 'a record was edited after it was written',
  link_broken: 'a record does not link to the one before it (rewritten or removed records)',
  sequence_gap: 'a record is missing: it was deleted',
  bad_checkpoint: 'a signed checkpoint does not match the records',
  truncated: 'the newest records were removed',
};

/** A `datetime-local` value (the reader's time zone) as the API's ISO-8601 UTC, or nothing when empty. */
export function localToIso(value: string): string | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
