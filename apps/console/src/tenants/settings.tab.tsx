import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { unwrap } from '@lockwell/sdk';
import { useApi, useSession } from '../session/session-context';
import type { Tenant } from '../api/types';
import { ConfirmDelete } from '../components/confirm-delete';
import { ErrorMessage } from '../components/error-message';
import { Field, Form } from '../components/form';
import { StatusMessage } from '../components/status-message';

/** Name, slug and description (owners and admins), and deletion with a typed confirmation (owners). */
export function SettingsTab({ tenant, granted }: { tenant: Tenant; granted: string[] }) {
  const api = useApi();
  const { reloadProfile } = useSession();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [name, setName] = useState(tenant.name);
  const [slug, setSlug] = useState(tenant.slug);
  const [description, setDescription] = useState(tenant.description ?? '');
  const canUpdate = granted.includes('tenant:update') && tenant.status === 'active';
  const update = useMutation({
    mutationFn: () =>
      unwrap(
        api.PUT('/api/v1/tenants/{tenant_id}', {
          params: { path: { tenant_id: tenant.id } },
          body: { name, slug, description: description || null },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['tenant', tenant.id] }),
  });
  const remove = useMutation({
    mutationFn: () => unwrap(api.DELETE('/api/v1/tenants/{tenant_id}', { params: { path: { tenant_id: tenant.id } } })),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['tenants'] });
      await reloadProfile();
      navigate('/tenants');
    },
  });
  return (
    <>
      <section aria-labelledby="settings-heading">
        <h2 id="settings-heading">Settings</h2>
        {!canUpdate && <p className="muted">Only owners and admins change these.</p>}
        <ErrorMessage error={update.error} />
        <StatusMessage>{update.isSuccess && 'Saved.'}</StatusMessage>
        <Form label="Tenant settings" onSubmit={() => update.mutate()}>
          <fieldset disabled={!canUpdate}>
            <div className="row">
              <Field label="Name">
                {(p) => (
                  <input {...p} required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
                )}
              </Field>
              <Field label="Slug" hint="Used by the CLI and SDK to name the tenant.">
                {(p) => <input {...p} required value={slug} onChange={(e) => setSlug(e.target.value)} />}
              </Field>
            </div>
            <Field label="Description">
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
            <button type="submit" disabled={update.isPending}>
              Save settings
            </button>
          </fieldset>
        </Form>
      </section>
      {granted.includes('tenant:delete') && tenant.status === 'active' && (
        <section className="card danger-zone" aria-labelledby="delete-heading">
          <h2 id="delete-heading">Delete this tenant</h2>
          <p>
            Every secret of the tenant is destroyed (its encryption key is shredded), its members lose access, and the
            name is freed.
          </p>
          <ErrorMessage error={remove.error} />
          <ConfirmDelete
            what="deletion"
            expected={tenant.slug}
            button="Delete tenant"
            busy={remove.isPending}
            onConfirm={() => remove.mutate()}
          />
        </section>
      )}
    </>
  );
}
