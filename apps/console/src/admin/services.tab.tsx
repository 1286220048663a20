import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { unwrap } from '@lockwell/sdk';
import type { Service } from '../api/types';
import { useApi } from '../session/session-context';
import { ConfirmDelete } from '../components/confirm-delete';
import { DataTable } from '../components/data-table';
import { DateTime } from '../components/date-time';
import { EmptyState } from '../components/empty-state';
import { ErrorMessage } from '../components/error-message';
import { StatusMessage } from '../components/status-message';
import { CreateService } from './create-service';

/** The registry of third-party services (services:manage): create from a preset, list, delete. */
export function ServicesTab() {
  const api = useApi();
  const queryClient = useQueryClient();
  const services = useQuery({
    queryKey: ['admin-services'],
    queryFn: () => unwrap(api.GET('/api/v1/admin/services')),
  });
  const [deleting, setDeleting] = useState<Service | null>(null);
  const [done, setDone] = useState('');
  const remove = useMutation({
    mutationFn: (s: Service) =>
      unwrap(api.DELETE('/api/v1/admin/services/{service_id}', { params: { path: { service_id: s.id } } })),
    onSuccess: async (_r, s) => {
      setDeleting(null);
      setDone(`${s.name} was deleted, with every connection to it.`);
      await queryClient.invalidateQueries({ queryKey: ['admin-services'] });
    },
  });
  const items = services.data?.items ?? [];
  return (
    <section aria-labelledby="services-heading">
      <h2 id="services-heading">Third-party services</h2>
      <p className="muted">
        Register a provider once; users then connect their accounts from <strong>Connections</strong>, and applications
        get valid access tokens from Lockwell.
      </p>
      <CreateService onCreated={(s) => setDone(`${s.name} was created${s.ready ? '' : ': set its credentials'}.`)} />
      <StatusMessage>{done}</StatusMessage>
      <ErrorMessage error={services.error ?? remove.error} />
      {services.data && items.length === 0 && (
        <EmptyState title="No third-party service is registered yet.">
          Create one from a preset above with the client id and secret the provider gave you.
        </EmptyState>
      )}
      {items.length > 0 && (
        <DataTable
          label="Registered services"
          headers={['Name', 'Preset', 'Protocol', 'State', 'Credentials set', 'Created', null]}
        >
          {items.map((s) => (
            <tr key={s.id}>
              <td>
                <span className="strong">{s.name}</span>
                <div className="small muted">{s.slug}</div>
              </td>
              <td>{s.preset ?? 'by hand'}</td>
              <td>{s.protocol === 'oidc' ? 'OpenID Connect' : 'OAuth 2.0'}</td>
              <td>
                {s.ready ? (
                  <span className="badge badge-ok">ready</span>
                ) : (
                  <span className="badge badge-warn">credentials missing</span>
                )}
              </td>
              <td>{s.credentials_set.join(', ') || '—'}</td>
              <td>
                <DateTime value={s.created_at} />
              </td>
              <td>
                <button
                  type="button"
                  className="button-secondary"
                  aria-label={`Delete ${s.name}`}
                  onClick={() => {
                    setDone('');
                    setDeleting(s);
                  }}
                >
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      {deleting && (
        <section className="card danger-zone" aria-labelledby="delete-service-heading">
          <h3 id="delete-service-heading">Delete {deleting.name}</h3>
          <p>
            Every connection to it ends and their tokens and the service's credentials are destroyed. Applications using
            them stop getting tokens.
          </p>
          <ConfirmDelete
            what="deletion"
            expected={deleting.slug}
            button="Delete service"
            busy={remove.isPending}
            onConfirm={() => remove.mutate(deleting)}
          />
          <button type="button" className="button-secondary" onClick={() => setDeleting(null)}>
            Keep it
          </button>
        </section>
      )}
    </section>
  );
}
