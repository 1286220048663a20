import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { unwrap } from '@lockwell/sdk';
import { useApi, useSession } from '../session/session-context';
import type { Tenant } from '../api/types';
import { ConfirmDelete } from '../components/confirm-delete';
import { ErrorMessage } from '../components/error-message';
import { Form } from '../components/form';
import { TenantFields, type TenantDraft } from './tenant-fields';
import { StatusMessage } from '../components/status-message';

/** Name, slug and description (owners and admins), and deletion with a typed confirmation (owners). */
export function SettingsTab({ tenant, granted }: { tenant: Tenant; granted: string[] }) {
  const api = useApi();
  const { reloadProfile } = useSession();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [draft, setDraft] = useState<TenantDraft>({
    name: tenant.name,
    slug: tenant.slug,
    description: tenant.description ?? '',
  });
  const canUpdate = granted.includes('tenant:update') && tenant.status === 'active';
  const update = useMutation({
    mutationFn: () =>
      unwrap(
        api.PUT('/api/v1/tenants/{tenant_id}', {
          params: { path: { tenant_id: tenant.id } },
          body: { name: draft.name, slug: draft.slug, description: draft.description || null },
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
            <TenantFields draft={draft} onChange={setDraft} />
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
