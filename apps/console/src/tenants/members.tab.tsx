import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { unwrap } from '@lockwell/sdk';
import { useApi, useProfile, useSession } from '../session/session-context';
import type { Tenant } from '../api/types';
import { DataTable } from '../components/data-table';
import { DateTime } from '../components/date-time';
import { ErrorMessage } from '../components/error-message';
import { Field, Form } from '../components/form';
import { StatusMessage } from '../components/status-message';
import { membersKey, useMembers } from '../queries/tenants';

const ROLES = ['owner', 'admin', 'member', 'viewer'];
const ROLE_HELP =
  'owner: everything, including deleting the tenant · admin: everything else, including members · member: reads and writes secrets · viewer: reads secrets only';

/** Members with their roles: add an existing user by email, change a role, remove (the API keeps the last owner). */
export function MembersTab({ tenant, granted }: { tenant: Tenant; granted: string[] }) {
  const api = useApi();
  const profile = useProfile();
  const { reloadProfile } = useSession();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const canManage = granted.includes('members:manage');
  const key = membersKey(tenant.id);
  const members = useMembers(tenant.id);
  const [done, setDone] = useState('');
  // Only the latest action's error shows: an old refusal must not sit above a later success.
  const [error, setError] = useState<unknown>(null);
  const after = async (message: string) => {
    setDone(message);
    setError(null);
    await queryClient.invalidateQueries({ queryKey: key });
    await reloadProfile();
  };
  const changeRole = useMutation({
    mutationFn: (v: { userId: string; role: string }) =>
      unwrap(
        api.PUT('/api/v1/tenants/{tenant_id}/members/{user_id}', {
          params: { path: { tenant_id: tenant.id, user_id: v.userId } },
          body: { role: v.role },
        }),
      ),
    onSuccess: (m) => after(`${m.email ?? 'The member'} is now ${m.role}.`),
    onError: (err) => {
      setDone('');
      setError(err);
    },
  });
  const remove = useMutation({
    mutationFn: (userId: string) =>
      unwrap(
        api.DELETE('/api/v1/tenants/{tenant_id}/members/{user_id}', {
          params: { path: { tenant_id: tenant.id, user_id: userId } },
        }),
      ),
    onSuccess: async (_, userId) => {
      if (userId !== profile.user.id) return after('Member removed.');
      // Having left, the tenant is no longer ours to look at.
      await reloadProfile();
      await queryClient.invalidateQueries({ queryKey: ['tenants'] });
      navigate('/tenants');
    },
    onError: (err) => {
      setDone('');
      setError(err);
    },
  });
  return (
    <section aria-labelledby="members-heading">
      <h2 id="members-heading">Members</h2>
      <p className="muted small">{ROLE_HELP}</p>
      {canManage && <AddMember tenantId={tenant.id} onAdded={(email) => after(`${email} was added.`)} />}
      <ErrorMessage error={members.error ?? error} />
      <StatusMessage>{done}</StatusMessage>
      <DataTable label="Members" headers={['Name', 'Email', 'Role', 'Member since', null]}>
        {members.data?.items.map((m) => {
          const self = m.user_id === profile.user.id;
          const who = m.email ?? m.user_id;
          return (
            <tr key={m.user_id}>
              <td>
                {m.full_name ?? '(deleted user)'} {self && <span className="badge">you</span>}
              </td>
              <td>{m.email ?? '—'}</td>
              <td>
                {canManage ? (
                  <select
                    aria-label={`Role of ${who}`}
                    value={m.role}
                    disabled={changeRole.isPending}
                    onChange={(e) => changeRole.mutate({ userId: m.user_id, role: e.target.value })}
                  >
                    {(ROLES.includes(m.role) ? ROLES : [...ROLES, m.role]).map((r) => (
                      <option key={r} value={r}>
                        {r}
                      </option>
                    ))}
                  </select>
                ) : (
                  m.role
                )}
              </td>
              <td>
                <DateTime value={m.created_at} />
              </td>
              <td>
                {(canManage || self) && (
                  <button
                    type="button"
                    className="button-secondary"
                    disabled={remove.isPending}
                    onClick={() => remove.mutate(m.user_id)}
                    aria-label={self ? 'Leave this tenant' : `Remove ${who}`}
                  >
                    {self ? 'Leave' : 'Remove'}
                  </button>
                )}
              </td>
            </tr>
          );
        })}
      </DataTable>
    </section>
  );
}

function AddMember({ tenantId, onAdded }: { tenantId: string; onAdded: (email: string) => void }) {
  const api = useApi();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState('member');
  const add = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/tenants/{tenant_id}/members', {
          params: { path: { tenant_id: tenantId } },
          body: { email, role },
        }),
      ),
    onSuccess: () => {
      onAdded(email);
      setEmail('');
    },
  });
  return (
    <div className="card">
      <h3>Add a member</h3>
      <ErrorMessage error={add.error} />
      <Form label="Add a member" onSubmit={() => add.mutate()}>
        <div className="row">
          <Field
            label="Email of an existing user"
            hint="People need a Lockwell account first; an installation admin creates it."
          >
            {(p) => (
              <input
                {...p}
                type="email"
                required
                autoComplete="off"
                value={email}
                onChange={(e) => setEmail(e.target.value)}
              />
            )}
          </Field>
          <Field label="Role">
            {(p) => (
              <select {...p} value={role} onChange={(e) => setRole(e.target.value)}>
                {ROLES.map((r) => (
                  <option key={r} value={r}>
                    {r}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <button type="submit" disabled={add.isPending}>
          Add member
        </button>
      </Form>
    </div>
  );
}
