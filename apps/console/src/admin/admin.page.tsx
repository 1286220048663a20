import { NavLink, Navigate, Route, Routes } from 'react-router';
import { Page } from '../layout/page';
import { useProfile } from '../session/session-context';
import { hasGlobal, isInstallationAdmin } from '../session/permissions';
import { UsersTab } from './users.tab';
import { RolesTab } from './roles.tab';
import { MasterKeyTab } from './master-key.tab';
import { ServicesTab } from './services.tab';

/** Installation administration: users, roles with their permissions, third-party services, master-key rotation. */
export function AdminPage() {
  const profile = useProfile();
  const users = hasGlobal(profile, 'users:read');
  const keys = hasGlobal(profile, 'keys:rotate');
  const services = hasGlobal(profile, 'services:manage');
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
        {services && <NavLink to="/admin/services">Services</NavLink>}
        {keys && <NavLink to="/admin/master-key">Master key</NavLink>}
      </nav>
      <Routes>
        <Route index element={<Navigate to={users ? 'users' : 'roles'} replace />} />
        <Route path="users" element={<UsersTab />} />
        <Route path="roles" element={<RolesTab />} />
        {services && <Route path="services" element={<ServicesTab />} />}
        <Route path="master-key" element={<MasterKeyTab />} />
      </Routes>
    </Page>
  );
}
