import { Link } from 'react-router';
import { Page } from '../layout/page';
import { useProfile } from '../session/session-context';
import { canReadAudit, hasGlobal, isInstallationAdmin, tenantPermissions } from '../session/permissions';
import { useMyTenants } from '../queries/tenants';
import { ErrorMessage } from '../components/error-message';
import { EmptyState } from '../components/empty-state';

/** The start page: every screen of the console is one or two clicks from here. */
export function HomePage() {
  const profile = useProfile();
  const tenants = useMyTenants();
  return (
    <Page title="Home" heading={`Welcome, ${profile.user.full_name}`}>
      <div className="grid">
        <section className="card" aria-labelledby="home-tenants">
          <h2 id="home-tenants">Your tenants</h2>
          <ErrorMessage error={tenants.error} />
          {tenants.data && tenants.data.items.length === 0 && (
            <EmptyState title="You are not a member of any tenant yet.">
              <p>
                A tenant is a shared space for a team or a project. <Link to="/tenants">Create one</Link>, or ask an
                owner to add you.
              </p>
            </EmptyState>
          )}
          <ul className="tenant-links">
            {tenants.data?.items.map((t) => (
              <li key={t.id}>
                <Link to={`/tenants/${t.id}`} className="strong">
                  {t.name}
                </Link>{' '}
                <span className="badge">{t.role ?? 'admin view'}</span>
                <span className="links">
                  <Link to={`/tenants/${t.id}`} aria-label={`Secrets of ${t.name}`}>
                    Secrets
                  </Link>
                  <Link to={`/tenants/${t.id}/members`} aria-label={`Members of ${t.name}`}>
                    Members
                  </Link>
                  <Link to={`/tenants/${t.id}/settings`} aria-label={`Settings of ${t.name}`}>
                    Settings
                  </Link>
                  {tenantPermissions(profile, t.id).includes('webhooks:manage') && (
                    <Link to={`/tenants/${t.id}/webhooks`} aria-label={`Webhooks of ${t.name}`}>
                      Webhooks
                    </Link>
                  )}
                  {canReadAudit(profile, t.id) && (
                    <Link to={`/tenants/${t.id}/audit`} aria-label={`Audit log of ${t.name}`}>
                      Audit log
                    </Link>
                  )}
                </span>
              </li>
            ))}
          </ul>
          <p>
            <Link to="/tenants">All tenants and create a tenant</Link>
          </p>
        </section>
        <section className="card" aria-labelledby="home-personal">
          <h2 id="home-personal">Personal</h2>
          <ul className="plain">
            <li>
              <Link to="/secrets">Personal secrets</Link>: only you can see them.
            </li>
            <li>
              <Link to="/secrets/new">New personal secret</Link>
            </li>
            <li>
              <Link to="/tokens">API tokens</Link> for scripts, CI and the CLI.
            </li>
            <li>
              <Link to="/connections">Connections</Link> to third-party services (GitHub, Google, …).
            </li>
            <li>
              <Link to="/notifications">Notifications</Link> and where they reach you:{' '}
              <Link to="/notifications/preferences">preferences</Link>
            </li>
            <li>
              <Link to="/account">Profile and password</Link>
            </li>
            <li>
              <Link to="/sessions">Active sessions</Link>
            </li>
          </ul>
        </section>
        {isInstallationAdmin(profile) && (
          <section className="card" aria-labelledby="home-admin">
            <h2 id="home-admin">Installation</h2>
            <ul className="plain">
              {hasGlobal(profile, 'users:read') && (
                <li>
                  <Link to="/admin/users">Users</Link>
                </li>
              )}
              <li>
                <Link to="/admin/roles">Roles and permissions</Link>
              </li>
              {hasGlobal(profile, 'services:manage') && (
                <li>
                  <Link to="/admin/services">Third-party services</Link>
                </li>
              )}
              {hasGlobal(profile, 'keys:rotate') && (
                <li>
                  <Link to="/admin/master-key">Master key</Link>
                </li>
              )}
            </ul>
          </section>
        )}
      </div>
    </Page>
  );
}
