import { NavLink, Route, Routes, useParams } from 'react-router';
import { Page } from '../layout/page';
import { useProfile } from '../session/session-context';
import { allowsSomewhere, canReadAudit, tenantPermissions } from '../session/permissions';
import { ErrorMessage } from '../components/error-message';
import { SecretsBrowser } from '../secrets/secrets-browser';
import { MembersTab } from './members.tab';
import { SettingsTab } from './settings.tab';
import { WebhooksTab } from './webhooks.tab';
import { AuditTab } from '../audit/audit.tab';
import { useTenant } from '../queries/tenants';

/** One tenant: its secrets (the default tab), members, settings and (for owners and admins) webhooks and audit log. */
export function TenantPage() {
  const { tenantId = '' } = useParams();
  const profile = useProfile();
  const tenant = useTenant(tenantId);
  const granted = tenantPermissions(profile, tenantId);
  const name = tenant.data?.name ?? 'Tenant';
  const audit = canReadAudit(profile, tenantId);
  const webhooks = granted.includes('webhooks:manage');
  return (
    <Page
      title={name}
      heading={
        <>
          {name} {tenant.data?.status === 'deleting' && <span className="badge badge-warn">being deleted</span>}
        </>
      }
    >
      <ErrorMessage error={tenant.error} />
      {tenant.data && (
        <>
          {tenant.data.description && <p className="muted">{tenant.data.description}</p>}
          <nav aria-label="Tenant sections" className="tabs">
            <NavLink to={`/tenants/${tenantId}`} end>
              Secrets
            </NavLink>
            <NavLink to={`/tenants/${tenantId}/members`}>Members</NavLink>
            <NavLink to={`/tenants/${tenantId}/settings`}>Settings</NavLink>
            {webhooks && <NavLink to={`/tenants/${tenantId}/webhooks`}>Webhooks</NavLink>}
            {audit && <NavLink to={`/tenants/${tenantId}/audit`}>Audit log</NavLink>}
          </nav>
          <Routes>
            <Route
              index
              element={
                <SecretsBrowser
                  scope="tenant"
                  tenantId={tenantId}
                  canWrite={allowsSomewhere(granted, 'secrets:write')}
                />
              }
            />
            <Route path="members" element={<MembersTab tenant={tenant.data} granted={granted} />} />
            <Route path="settings" element={<SettingsTab tenant={tenant.data} granted={granted} />} />
            {webhooks && <Route path="webhooks" element={<WebhooksTab tenant={tenant.data} />} />}
            {audit && <Route path="audit" element={<AuditTab tenantId={tenantId} />} />}
          </Routes>
        </>
      )}
    </Page>
  );
}
