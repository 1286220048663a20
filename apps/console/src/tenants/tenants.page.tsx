import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router';
import { unwrap } from '@lockwell/sdk';
import { Page } from '../layout/page';
import { useApi, useSession } from '../session/session-context';
import { DataTable } from '../components/data-table';
import { DateTime } from '../components/date-time';
import { EmptyState } from '../components/empty-state';
import { ErrorMessage } from '../components/error-message';
import { Form, TextField } from '../components/form';
import { TenantFields, type TenantDraft } from './tenant-fields';

/** Tenants the caller belongs to (installation admins: all), and a form to create one. */
export function TenantsPage() {
  const api = useApi();
  const [q, setQ] = useState('');
  const tenants = useQuery({
    queryKey: ['tenants', 'list', q],
    queryFn: () =>
      unwrap(api.GET('/api/v1/tenants', { params: { query: { limit: 200, ...(q.trim() ? { q: q.trim() } : {}) } } })),
  });
  return (
    <Page title="Tenants">
      <p className="muted">A tenant is a shared space (a team, a project) with members in roles and its own secrets.</p>
      <CreateTenant />
      <section aria-labelledby="tenant-list-heading">
        <h2 id="tenant-list-heading">All tenants you can see</h2>
        <div className="filters">
          <TextField label="Search by name or slug" type="search" value={q} onChange={setQ} />
        </div>
        <ErrorMessage error={tenants.error} />
        {tenants.data?.items.length === 0 && (
          <EmptyState title={q ? 'No tenant matches this search.' : 'No tenants yet.'}>
            {q ? 'Try another name.' : 'Create the first one above.'}
          </EmptyState>
        )}
        {!!tenants.data?.items.length && (
          <DataTable label="Tenants" headers={['Name', 'Slug', 'Your role', 'Status', 'Created']}>
            {tenants.data.items.map((t) => (
              <tr key={t.id}>
                <td>
                  <Link to={`/tenants/${t.id}`}>{t.name}</Link>
                </td>
                <td>
                  <code>{t.slug}</code>
                </td>
                <td>{t.role ?? 'not a member (installation admin)'}</td>
                <td>{t.status === 'deleting' ? <span className="badge badge-warn">being deleted</span> : 'active'}</td>
                <td>
                  <DateTime value={t.created_at} />
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>
    </Page>
  );
}

function CreateTenant() {
  const api = useApi();
  const { reloadProfile } = useSession();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [draft, setDraft] = useState<TenantDraft>({ name: '', slug: '', description: '' });
  const create = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/tenants', {
          body: {
            name: draft.name,
            ...(draft.slug ? { slug: draft.slug } : {}),
            ...(draft.description ? { description: draft.description } : {}),
          },
        }),
      ),
    onSuccess: async (tenant) => {
      await queryClient.invalidateQueries({ queryKey: ['tenants'] });
      // The new membership carries new permissions (secrets, members): the profile must know them.
      await reloadProfile();
      navigate(`/tenants/${tenant.id}`);
    },
  });
  return (
    <section className="card" aria-labelledby="create-tenant-heading">
      <h2 id="create-tenant-heading">Create a tenant</h2>
      <ErrorMessage error={create.error} />
      <Form label="Create a tenant" onSubmit={() => create.mutate()}>
        <TenantFields draft={draft} onChange={setDraft} creating />
        <button type="submit" disabled={create.isPending}>
          Create tenant
        </button>
      </Form>
    </section>
  );
}
