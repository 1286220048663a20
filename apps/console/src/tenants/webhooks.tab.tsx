import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { unwrap } from '@lockwell/sdk';
import type { CreatedWebhook, NotificationKind, Tenant, Webhook } from '../api/types';
import { useApi } from '../session/session-context';
import { DataTable } from '../components/data-table';
import { DateTime } from '../components/date-time';
import { EmptyState } from '../components/empty-state';
import { ErrorMessage } from '../components/error-message';
import { Form, TextField } from '../components/form';
import { PermissionCheckboxes } from '../components/permission-checkboxes';
import { ShownOnce } from '../components/shown-once';
import { StatusMessage } from '../components/status-message';
import { KINDS } from '../notifications/kind-labels';

const webhooksKey = (tenantId: string) => ['webhooks', tenantId];

/**
 * A tenant's webhooks (owners and admins, `webhooks:manage`): create one (its signing secret shown once), the
 * delivery log of each, delete. The API has no update: a webhook is recreated to change it or after it was disabled.
 */
export function WebhooksTab({ tenant }: { tenant: Tenant }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const key = webhooksKey(tenant.id);
  const webhooks = useQuery({
    queryKey: key,
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/tenants/{tenant_id}/webhooks', {
          params: { path: { tenant_id: tenant.id }, query: { limit: 200 } },
        }),
      ),
  });
  const [created, setCreated] = useState<CreatedWebhook | null>(null);
  const [shown, setShown] = useState<string | null>(null);
  const remove = useMutation({
    mutationFn: (id: string) =>
      unwrap(
        api.DELETE('/api/v1/tenants/{tenant_id}/webhooks/{webhook_id}', {
          params: { path: { tenant_id: tenant.id, webhook_id: id } },
        }),
      ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: key }),
  });
  const items = webhooks.data?.items ?? [];
  return (
    <section aria-labelledby="webhooks-heading">
      <h2 id="webhooks-heading">Webhooks</h2>
      <p className="muted">
        Lockwell POSTs each notification of this tenant as JSON to your URL, signed with the header{' '}
        <code>Lockwell-Signature: t=…,v1=…</code> (HMAC-SHA256 with the webhook’s signing secret), and retries until
        your endpoint answers 2xx. A webhook that keeps failing is disabled; create it again once the receiver works.
      </p>
      {created ? (
        <NewWebhookSecret webhook={created} onDone={() => setCreated(null)} />
      ) : (
        <CreateWebhook
          tenantId={tenant.id}
          onCreated={(w) => {
            remove.reset();
            setCreated(w);
            void queryClient.invalidateQueries({ queryKey: key });
          }}
        />
      )}
      <section aria-labelledby="webhook-list-heading">
        <h3 id="webhook-list-heading">This tenant’s webhooks</h3>
        <ErrorMessage error={webhooks.error ?? remove.error} />
        <StatusMessage>{remove.isSuccess && 'Webhook deleted: its pending deliveries were dropped.'}</StatusMessage>
        {webhooks.data && items.length === 0 && (
          <EmptyState title="This tenant has no webhooks.">
            <p>Create one above to have Lockwell call your chat bot, pager or ticketing system.</p>
          </EmptyState>
        )}
        {items.length > 0 && (
          <DataTable label="Webhooks" headers={['URL', 'Kinds', 'Status', 'Created', null]}>
            {items.map((w) => (
              <tr key={w.id}>
                <td className="wrap">
                  <code>{w.url}</code>
                  {w.description && <div className="small muted">{w.description}</div>}
                </td>
                <td className="wrap small">{w.events.length === 0 ? 'every kind' : w.events.join(', ')}</td>
                <td className="wrap">
                  <span className={w.status === 'active' ? 'badge badge-ok' : 'badge badge-warn'}>{w.status}</span>
                  {w.disabled_reason && <div className="small muted">{w.disabled_reason}</div>}
                </td>
                <td>
                  <DateTime value={w.created_at} />
                </td>
                <td>
                  <div className="buttons">
                    <button
                      type="button"
                      className="button-secondary"
                      aria-expanded={shown === w.id}
                      aria-label={`Deliveries of ${w.url}`}
                      onClick={() => setShown(shown === w.id ? null : w.id)}
                    >
                      Deliveries
                    </button>
                    <button
                      type="button"
                      className="button-danger"
                      disabled={remove.isPending}
                      aria-label={`Delete webhook ${w.url}`}
                      onClick={() => {
                        if (shown === w.id) setShown(null);
                        remove.mutate(w.id);
                      }}
                    >
                      Delete
                    </button>
                  </div>
                </td>
              </tr>
            ))}
          </DataTable>
        )}
        {shown && items.some((w) => w.id === shown) && (
          <Deliveries tenantId={tenant.id} webhook={items.find((w) => w.id === shown)!} />
        )}
      </section>
    </section>
  );
}

function CreateWebhook({ tenantId, onCreated }: { tenantId: string; onCreated: (w: CreatedWebhook) => void }) {
  const api = useApi();
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<string[]>([]);
  const create = useMutation({
    // The answer holds the signing secret: the mutation cache forgets it as soon as this form lets go of it.
    gcTime: 0,
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/tenants/{tenant_id}/webhooks', {
          params: { path: { tenant_id: tenantId } },
          body: {
            url: url.trim(),
            ...(description.trim() ? { description: description.trim() } : {}),
            ...(events.length ? { events: events as NotificationKind[] } : {}),
          },
        }),
      ),
    onSuccess: (w) => {
      setUrl('');
      setDescription('');
      setEvents([]);
      create.reset(); // only the panel that shows it once keeps the signing secret
      onCreated(w);
    },
  });
  return (
    <section className="card" aria-labelledby="new-webhook-heading">
      <h3 id="new-webhook-heading">Create a webhook</h3>
      <ErrorMessage error={create.error} />
      <Form label="Create a webhook" onSubmit={() => create.mutate()}>
        <div className="row">
          <TextField
            label="URL"
            hint="https:// in production; http:// on this machine (127.0.0.1) for local tries."
            type="url"
            required
            maxLength={2048}
            placeholder="https://hooks.example.com/lockwell"
            value={url}
            onChange={setUrl}
          />
          <TextField label="Description (optional)" maxLength={500} value={description} onChange={setDescription} />
        </div>
        <PermissionCheckboxes
          legend="Kinds to send (none ticked: every kind)"
          options={KINDS}
          chosen={events}
          onChange={setEvents}
        />
        <button type="submit" disabled={create.isPending || !url.trim()}>
          Create webhook
        </button>
      </Form>
    </section>
  );
}

/** The signing secret, shown once: it is not stored in the browser and the API never returns it again. */
function NewWebhookSecret({ webhook, onDone }: { webhook: CreatedWebhook; onDone: () => void }) {
  return (
    <ShownOnce
      heading="Webhook created"
      level={3}
      value={webhook.secret}
      copyLabel="Copy signing secret"
      testId="webhook-secret"
      onDone={onDone}
    >
      Your receiver checks each request’s <code>Lockwell-Signature</code> with it (see the notifications documentation).
    </ShownOnce>
  );
}

/** One webhook's delivery log, newest attempt first (the API's extension). */
function Deliveries({ tenantId, webhook }: { tenantId: string; webhook: Webhook }) {
  const api = useApi();
  const attempts = useQuery({
    queryKey: ['webhook-deliveries', webhook.id],
    staleTime: 0,
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/tenants/{tenant_id}/webhooks/{webhook_id}/deliveries', {
          params: { path: { tenant_id: tenantId, webhook_id: webhook.id }, query: { limit: 50 } },
        }),
      ),
  });
  const items = attempts.data?.items ?? [];
  return (
    <section className="card" aria-labelledby="deliveries-heading">
      <div className="section-header">
        <h3 id="deliveries-heading">
          Deliveries to <code>{webhook.url}</code>
        </h3>
        <button type="button" className="button-secondary" onClick={() => void attempts.refetch()}>
          Refresh deliveries
        </button>
      </div>
      <ErrorMessage error={attempts.error} />
      {attempts.data && items.length === 0 && (
        <EmptyState title="Nothing was sent to this webhook yet.">
          <p>Each notification of a kind it takes is sent here within seconds.</p>
        </EmptyState>
      )}
      {items.length > 0 && (
        <DataTable label="Delivery attempts" headers={['When', 'Kind', 'Attempt', 'Result', 'Duration']}>
          {items.map((d) => (
            <tr key={d.id}>
              <td>
                <DateTime value={d.attempted_at} />
              </td>
              <td>
                <code>{d.kind}</code>
              </td>
              <td>{d.attempt}</td>
              <td className="wrap">
                <span className={d.succeeded ? 'badge badge-ok' : 'badge badge-warn'}>
                  {d.succeeded ? 'delivered' : 'failed'}
                </span>{' '}
                {d.status_code !== null && `HTTP ${d.status_code}`} {d.error}
              </td>
              <td>{d.duration_ms} ms</td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}
