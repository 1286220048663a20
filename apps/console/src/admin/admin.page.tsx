import { NavLink, Navigate, Route, Routes } from 'react-router';
import { Page } from '../layout/page';
import { useProfile } from '../session/session-context';
import { hasGlobal, isInstallationAdmin } from '../session/permissions';
import { UsersTab } from './users.tab';
import { RolesTab } from './roles.tab';
import { MasterKeyTab } from './master-key.tab';

/** Installation administration: users, roles with their permissions, master-key rotation. */
export function AdminPage() {
  const profile = useProfile();
  const users = hasGlobal(profile, 'users:read');
  const keys = hasGlobal(profile, 'keys:rotate');
  if (!isInstallationAdmin(profile)) {
    return (
      <Page title="Administration">
        <p>
          This area is for administrators of the installation. Ask one of them if you need a user created or a role
          changed.
        </p>
      </Page>
    );
  }
  return (
    <Page title="Administration">
      <nav aria-label="Administration sections" className="tabs">
        {users && <NavLink to="/admin/users">Users</NavLink>}
        <NavLink to="/admin/roles">Roles</NavLink>
        {keys && <NavLink to="/admin/master-key">Master key</NavLink>}
      </nav>
      <Routes>
        <Route index element={<Navigate to={users ? 'users' : 'roles'} replace />} />
        <Route path="users" element={<UsersTab />} />
        <Route path="roles" element={<RolesTab />} />
        <Route path="master-key" element={<MasterKeyTab />} />
      </Routes>
    </Page>
  );
}
