import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { unwrap } from '@lockwell/sdk';
import { useApi, useProfile } from '../session/session-context';
import { hasGlobal } from '../session/permissions';
import { BUILT_IN_TENANT_ROLES, GLOBAL_PERMISSIONS, TENANT_PERMISSIONS } from '@lockwell/contracts/permissions';
import { DataTable } from '../components/data-table';
import { ErrorMessage } from '../components/error-message';
import { PermissionCheckboxes } from '../components/permission-checkboxes';

/** The permission catalogue (packages/contracts), for building custom roles. */
const CATALOGUE = [...TENANT_PERMISSIONS, ...GLOBAL_PERMISSIONS];
import { Form, TextField } from '../components/form';

/** Built-in and custom roles with their permissions; admins with roles:manage create custom ones. */
export function RolesTab() {
  const api = useApi();
  const profile = useProfile();
  const roles = useQuery({ queryKey: ['roles'], queryFn: () => unwrap(api.GET('/api/v1/roles')) });
  return (
    <section aria-labelledby="roles-heading">
      <h2 id="roles-heading">Roles</h2>
      <p className="muted">
        Tenant roles owner, admin, member and viewer are built in; a custom role can be given to users or to tenant
        members.
      </p>
      <h3>Built-in tenant roles</h3>
      <DataTable label="Built-in tenant roles" headers={['Tenant role', 'Permissions inside the tenant']}>
        {Object.entries(BUILT_IN_TENANT_ROLES).map(([name, permissions]) => (
          <tr key={name}>
            <td>{name}</td>
            <td className="wrap">
              {permissions.map((p) => (
                <code key={p} className="perm">
                  {p}
                </code>
              ))}
            </td>
          </tr>
        ))}
      </DataTable>
      <h3>Installation and custom roles</h3>
      {hasGlobal(profile, 'roles:manage') && <CreateRole />}
      <ErrorMessage error={roles.error} />
      <DataTable label="Roles" headers={['Role', 'Description', 'Permissions']}>
        {roles.data?.items.map((r) => (
          <tr key={r.id}>
            <td>
              {r.name} {r.built_in && <span className="badge">built in</span>}
            </td>
            <td>{r.description ?? '—'}</td>
            <td className="wrap">
              {r.permissions.length
                ? r.permissions.map((p) => (
                    <code key={p} className="perm">
                      {p}
                    </code>
                  ))
                : 'none'}
            </td>
          </tr>
        ))}
      </DataTable>
    </section>
  );
}

function CreateRole() {
  const api = useApi();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [permissions, setPermissions] = useState<string[]>([]);
  const create = useMutation({
    mutationFn: () =>
      unwrap(api.POST('/api/v1/roles', { body: { name, permissions, ...(description ? { description } : {}) } })),
    onSuccess: () => {
      setName('');
      setDescription('');
      setPermissions([]);
      void queryClient.invalidateQueries({ queryKey: ['roles'] });
    },
  });
  return (
    <div className="card">
      <h3>Create a custom role</h3>
      <ErrorMessage error={create.error} />
      <Form label="Create a custom role" onSubmit={() => create.mutate()}>
        <div className="row">
          <TextField
            label="Name"
            hint="Lower-case letters, digits, . _ and -."
            required
            minLength={2}
            maxLength={64}
            value={name}
            onChange={setName}
          />
          <TextField label="Description (optional)" maxLength={500} value={description} onChange={setDescription} />
        </div>
        <PermissionCheckboxes legend="Permissions" options={CATALOGUE} chosen={permissions} onChange={setPermissions} />
        <button type="submit" disabled={create.isPending}>
          Create role
        </button>
      </Form>
    </div>
  );
}
