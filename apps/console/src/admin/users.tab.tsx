import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { unwrap } from '@lockwell/sdk';
import { useApi, useProfile } from '../session/session-context';
import { hasGlobal } from '../session/permissions';
import { CursorPager, useCursorPages } from '../components/cursor-pager';
import { DataTable } from '../components/data-table';
import { DateTime } from '../components/date-time';
import { ErrorMessage } from '../components/error-message';
import { Form, TextField } from '../components/form';
import { StatusMessage } from '../components/status-message';

/** Users of the installation: list, create, disable or enable. */
export function UsersTab() {
  const api = useApi();
  const profile = useProfile();
  const queryClient = useQueryClient();
  const canManage = hasGlobal(profile, 'users:manage');
  const pages = useCursorPages();
  const { cursor } = pages;
  const users = useQuery({
    queryKey: ['users', cursor],
    queryFn: () =>
      unwrap(api.GET('/api/v1/users', { params: { query: { limit: 50, ...(cursor ? { cursor } : {}) } } })),
  });
  const setStatus = useMutation({
    mutationFn: (v: { id: string; status: 'active' | 'disabled' }) =>
      unwrap(api.PUT('/api/v1/users/{user_id}', { params: { path: { user_id: v.id } }, body: { status: v.status } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['users'] }),
  });
  return (
    <section aria-labelledby="users-heading">
      <h2 id="users-heading">Users</h2>
      {canManage && <CreateUser />}
      <ErrorMessage error={users.error ?? setStatus.error} />
      <StatusMessage>
        {setStatus.isSuccess && `User ${setStatus.data.email} is now ${setStatus.data.status}.`}
      </StatusMessage>
      <DataTable label="Users" headers={['Name', 'Email', 'Roles', 'Status', 'Last sign-in', null]}>
        {users.data?.items.map((u) => (
          <tr key={u.id}>
            <td>{u.full_name}</td>
            <td>{u.email}</td>
            <td>{u.roles.map((r) => r.name).join(', ')}</td>
            <td>
              {u.status === 'active' ? (
                <span className="badge badge-ok">active</span>
              ) : (
                <span className="badge badge-warn">disabled</span>
              )}
            </td>
            <td>
              <DateTime value={u.last_login_at} empty="never" />
            </td>
            <td>
              {canManage && u.id !== profile.user.id && (
                <button
                  type="button"
                  className="button-secondary"
                  disabled={setStatus.isPending}
                  onClick={() => setStatus.mutate({ id: u.id, status: u.status === 'active' ? 'disabled' : 'active' })}
                  aria-label={`${u.status === 'active' ? 'Disable' : 'Enable'} ${u.email}`}
                >
                  {u.status === 'active' ? 'Disable' : 'Enable'}
                </button>
              )}
            </td>
          </tr>
        ))}
      </DataTable>
      <CursorPager label="Pages of users" pages={pages} nextCursor={users.data?.next_cursor} />
    </section>
  );
}

function CreateUser() {
  const api = useApi();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [fullName, setFullName] = useState('');
  const [password, setPassword] = useState('');
  const [admin, setAdmin] = useState(false);
  const create = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/users', {
          body: { email, full_name: fullName, password, roles: [admin ? 'admin' : 'member'] },
        }),
      ),
    onSuccess: () => {
      setEmail('');
      setFullName('');
      setPassword('');
      setAdmin(false);
      void queryClient.invalidateQueries({ queryKey: ['users'] });
    },
  });
  return (
    <div className="card">
      <h3>Create a user</h3>
      <ErrorMessage error={create.error} />
      <StatusMessage>
        {create.isSuccess && `User ${create.data.email} created. Give them their password through a safe channel.`}
      </StatusMessage>
      <Form label="Create a user" onSubmit={() => create.mutate()}>
        <div className="row">
          <TextField label="Full name" required maxLength={200} value={fullName} onChange={setFullName} />
          <TextField label="Email" type="email" required autoComplete="off" value={email} onChange={setEmail} />
          <TextField
            label="Initial password"
            hint="At least 8 characters."
            type="password"
            required
            minLength={8}
            autoComplete="new-password"
            value={password}
            onChange={setPassword}
          />
        </div>
        <label className="check">
          <input type="checkbox" checked={admin} onChange={(e) => setAdmin(e.target.checked)} /> Installation
          administrator
        </label>
        <button type="submit" disabled={create.isPending}>
          Create user
        </button>
      </Form>
    </div>
  );
}
