import { ErrorCode, type CallContext } from '@lockwell/contracts';
import { assertTenantPermission, hasGlobalPermission, LockwellError, requirePrincipal } from '@lockwell/service-kit';
import type { AuditScope } from './audit-record.repository.js';

/**
 * Who reads which records (docs/api.md "Notifications and audit"): installation auditors (`audit:read-all`) any tenant
 * or everything; tenant owners and admins (`audit:read` in the tenant) their tenant only, so they must name it.
 * A non-member learns nothing about the tenant (TENANT_NOT_FOUND, as everywhere).
 */
export function auditScopeFor(ctx: CallContext, tenantId: string | undefined): AuditScope {
  const principal = requirePrincipal(ctx);
  const auditor = hasGlobalPermission(principal, 'audit:read-all');
  if (tenantId) {
    if (!auditor) assertTenantPermission(ctx, tenantId, 'audit:read', { notFound: ErrorCode.TENANT_NOT_FOUND });
    return { tenantId };
  }
  if (!auditor) {
    throw new LockwellError(ErrorCode.VALIDATION_FAILED, 'The request is invalid', [
      { field: 'tenant_id', issue: 'required unless you hold audit:read-all' },
    ]);
  }
  return { all: true };
}
