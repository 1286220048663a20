import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { unwrap } from '@lockwell/sdk';
import type { NotificationPreference } from '../api/types';
import { useApi } from '../session/session-context';
import { DataTable } from '../components/data-table';
import { ErrorMessage } from '../components/error-message';
import { Form } from '../components/form';
import { StatusMessage } from '../components/status-message';
import { ALWAYS_EMAILED, KIND_LABELS } from './kind-labels';

const PREFERENCES_KEY = ['notification-preferences'];
type Channel = 'in_app' | 'email';

/**
 * Per kind: the inbox and email. The API also stores a per-user `webhook` flag, but tenant webhooks choose their
 * kinds themselves (the tenant's Webhooks tab), so the flag is sent back unchanged instead of offered here.
 */
export function PreferencesTab() {
  const api = useApi();
  const queryClient = useQueryClient();
  const saved = useQuery({
    queryKey: PREFERENCES_KEY,
    queryFn: () => unwrap(api.GET('/api/v1/notifications/preferences')),
  });
  const [draft, setDraft] = useState<NotificationPreference[]>([]);
  useEffect(() => {
    if (saved.data) setDraft(saved.data.items);
  }, [saved.data]);
  const save = useMutation({
    mutationFn: () => unwrap(api.PUT('/api/v1/notifications/preferences', { body: { items: draft } })),
    onSuccess: (data) => queryClient.setQueryData(PREFERENCES_KEY, data),
  });
  const toggle = (kind: string, channel: Channel, on: boolean) => {
    save.reset();
    setDraft(draft.map((p) => (p.kind === kind ? { ...p, [channel]: on } : p)));
  };
  return (
    <section aria-labelledby="preferences-heading">
      <h2 id="preferences-heading">Preferences</h2>
      <p className="muted">
        Choose where each kind of notification reaches you. Warnings about your own account (a password change, a stolen
        session stopped) are always emailed, so that someone who took over the account cannot silence them first. Tenant
        webhooks pick their own kinds in each tenant’s <strong>Webhooks</strong> tab (<Link to="/tenants">Tenants</Link>
        ).
      </p>
      <ErrorMessage error={saved.error ?? save.error} />
      <StatusMessage>{save.isSuccess && 'Preferences saved.'}</StatusMessage>
      {draft.length > 0 && (
        <Form label="Notification preferences" onSubmit={() => save.mutate()}>
          <DataTable label="Where each notification reaches you" headers={['Notification', 'In the inbox', 'By email']}>
            {draft.map((p) => {
              const label = KIND_LABELS[p.kind];
              const forced = ALWAYS_EMAILED.includes(p.kind);
              return (
                <tr key={p.kind}>
                  <td className="wrap">
                    {label} <code className="small muted">{p.kind}</code>
                  </td>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`In the inbox: ${label}`}
                      checked={p.in_app}
                      onChange={(e) => toggle(p.kind, 'in_app', e.target.checked)}
                    />
                  </td>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`By email: ${label}`}
                      checked={forced || p.email}
                      disabled={forced}
                      onChange={(e) => toggle(p.kind, 'email', e.target.checked)}
                    />
                    {forced && <span className="small muted"> always</span>}
                  </td>
                </tr>
              );
            })}
          </DataTable>
          <button type="submit" disabled={save.isPending}>
            Save preferences
          </button>
        </Form>
      )}
    </section>
  );
}
