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
import { Field, Form } from '../components/form';

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
          <Field label="Search by name or slug">
            {(p) => <input {...p} type="search" value={q} onChange={(e) => setQ(e.target.value)} />}
          </Field>
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
  const [name, setName] = useState('');
  const [slug, setSlug] = useState('');
  const [description, setDescription] = useState('');
  const create = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/tenants', {
          body: { name, ...(slug ? { slug } : {}), ...(description ? { description } : {}) },
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
        <div className="row">
          <Field label="Name">
            {(p) => <input {...p} required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />}
          </Field>
          <Field label="Slug (optional)" hint="Lower-case letters, digits and hyphens; made from the name when empty.">
            {(p) => (
              <input
                {...p}
                pattern="[a-z0-9]([a-z0-9\-]{0,61}[a-z0-9])?"
                value={slug}
                onChange={(e) => setSlug(e.target.value)}
              />
            )}
          </Field>
        </div>
        <Field label="Description (optional)">
          {(p) => (
            <textarea
              {...p}
              rows={2}
              maxLength={1000}
              value={description}
              onChange={(e) => setDescription(e.target.value)}
            />
          )}
        </Field>
        <button type="submit" disabled={create.isPending}>
          Create tenant
        </button>
      </Form>
    </section>
  );
}
