import { NavLink, Outlet } from 'react-router';
import { useState } from 'react';
import { useProfile, useSession } from '../session/session-context';
import { isInstallationAdmin } from '../session/permissions';
import { ErrorMessage } from '../components/error-message';
import { useUnreadCount } from '../queries/notifications';

/** The signed-in frame: skip link, navigation to every area (each screen is at most two clicks away), and the main region. */
export function Shell() {
  const profile = useProfile();
  const { signOut } = useSession();
  const [error, setError] = useState<unknown>(null);
  const links: [string, string][] = [
    ['/', 'Home'],
    ['/secrets', 'Personal secrets'],
    ['/tenants', 'Tenants'],
    ['/tokens', 'API tokens'],
    ['/connections', 'Connections'],
    ['/notifications', 'Notifications'],
    ['/account', 'Account'],
    ['/sessions', 'Sessions'],
  ];
  if (isInstallationAdmin(profile)) links.push(['/admin', 'Admin']);
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <div className="brand">
          <img src="/favicon.svg" alt="" width="24" height="24" />
          <span>Lockwell</span>
        </div>
        <nav aria-label="Main">
          <ul>
            {links.map(([to, label]) => (
              <li key={to}>
                <NavLink to={to} end={to === '/'}>
                  {label}
                  {to === '/notifications' && <UnreadBadge />}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="user">
          <span className="small" title="Signed in as">
            {profile.user.email}
          </span>
          <button
            type="button"
            className="button-secondary"
            onClick={() => {
              signOut().catch(setError);
            }}
          >
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <ErrorMessage error={error} />
        <Outlet />
      </main>
    </>
  );
}

/** The unread count beside "Notifications", read by screen readers as part of the link ("Notifications 3 unread"). */
function UnreadBadge() {
  const unread = useUnreadCount();
  if (!unread.data || unread.data.count === 0) return null;
  return (
    <span className="nav-count">
      {' '}
      {unread.data.count}
      {unread.data.more && '+'}
      <span className="visually-hidden"> unread</span>
    </span>
  );
}
