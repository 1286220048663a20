import { useEffect, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { NavLink, useParams, useSearchParams } from 'react-router';
import { unwrap } from '@lockwell/sdk';
import type { ConnectableService } from '../api/types';
import { codeHelp } from '../api/error-help';
import { Page } from '../layout/page';
import { useApi, useProfile } from '../session/session-context';
import { tenantPermissions } from '../session/permissions';
import { useMyTenants } from '../queries/tenants';
import { DataTable } from '../components/data-table';
import { DateTime } from '../components/date-time';
import { EmptyState } from '../components/empty-state';
import { ErrorMessage } from '../components/error-message';
import { StatusMessage } from '../components/status-message';
import { REVOCATION, STATUS } from './connection-labels';

/** What the OAuth callback's redirect back to the console said (`?status=connected&connection_id=…` or `failed&error=`). */
interface Returned {
  status: string;
  error?: string;
  connectionId?: string;
}

/**
 * The caller's connections to third-party services, personal or in a tenant where they hold `connections:use`:
 * connect (the browser goes to the provider and comes back here), the status, reconnect after a refresh failure,
 * disconnect, and remove a disconnected one.
 */
export function ConnectionsPage() {
  const { tenantId } = useParams();
  const api = useApi();
  const profile = useProfile();
  const tenants = useMyTenants();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const [returned, setReturned] = useState<Returned | null>(null);
  const [done, setDone] = useState('');
  // The callback's outcome is read once and taken out of the address bar (and so out of the history).
  useEffect(() => {
    const status = params.get('status');
    if (!status) return;
    setReturned({
      status,
      error: params.get('error') ?? undefined,
      connectionId: params.get('connection_id') ?? undefined,
    });
    setParams({}, { replace: true });
  }, [params, setParams]);
  const key = ['connectable-services', tenantId ?? 'personal'];
  const catalog = useQuery({
    queryKey: key,
    queryFn: () => unwrap(api.GET('/api/v1/services', { params: { query: tenantId ? { tenant_id: tenantId } : {} } })),
    staleTime: 0,
  });
  const connect = useMutation({
    mutationFn: (s: ConnectableService) =>
      unwrap(
        api.POST('/api/v1/services/{service_id}/authorize', {
          params: { path: { service_id: s.id } },
          body: {
            ...(tenantId ? { tenant_id: tenantId } : {}),
            return_to: `/connections${tenantId ? `/${tenantId}` : ''}`,
          },
        }),
      ),
    // The gateway set the flow's binding cookie in this browser: the provider sends it back to the callback here.
    onSuccess: (flow) => window.location.assign(flow.authorization_url),
  });
  const disconnect = useMutation({
    mutationFn: (v: { service: ConnectableService; connectionId: string }) =>
      unwrap(
        api.DELETE('/api/v1/services/connections/{connection_id}', {
          params: { path: { connection_id: v.connectionId } },
        }),
      ),
    onSuccess: async (r, v) => {
      setReturned(null);
      setDone(
        r.status === 'removed'
          ? `The connection to ${v.service.name} was removed.`
          : `Disconnected from ${v.service.name}: ${REVOCATION[r.provider_revocation] ?? r.provider_revocation}.`,
      );
      await queryClient.invalidateQueries({ queryKey: key });
    },
  });
  const places = (tenants.data?.items ?? []).filter((t) =>
    tenantPermissions(profile, t.id).includes('connections:use'),
  );
  const placeName = tenantId ? (tenants.data?.items.find((t) => t.id === tenantId)?.name ?? 'Tenant') : 'Personal';
  const items = catalog.data?.items ?? [];
  const returnedTo = returned?.connectionId
    ? items.find((s) => s.connection?.id === returned.connectionId)?.name
    : undefined;
  const connected = returned?.status === 'connected' ? `Connected${returnedTo ? ` to ${returnedTo}` : ''}.` : '';
  return (
    <Page title={`Connections · ${placeName}`} heading="Connections">
      <p className="muted">
        Connect your accounts at third-party services once; Lockwell keeps the tokens sealed and refreshes them, and
        your applications ask Lockwell for a valid access token. A tenant's connections are shared with its members who
        may use connections.
      </p>
      <nav aria-label="Connection places" className="tabs">
        <NavLink to="/connections" end>
          Personal
        </NavLink>
        {places.map((t) => (
          <NavLink key={t.id} to={`/connections/${t.id}`}>
            {t.name}
          </NavLink>
        ))}
      </nav>
      <StatusMessage>{connected || done}</StatusMessage>
      {returned?.status === 'failed' && (
        <div className="alert alert-error" role="alert">
          <p>
            <strong>Not connected.</strong> {codeHelp(returned.error ?? '').join(' ')}
          </p>
          <p className="muted small">
            Error code <code>{returned.error ?? 'UNKNOWN'}</code>
          </p>
        </div>
      )}
      <ErrorMessage error={catalog.error ?? connect.error ?? disconnect.error} />
      {catalog.data && items.length === 0 && (
        <EmptyState title="No third-party service is available yet.">
          An installation admin registers services (GitHub, Google, Slack, …) under Admin, Services.
        </EmptyState>
      )}
      {items.length > 0 && (
        <DataTable
          label={`Services, ${placeName}`}
          headers={['Service', 'Status', 'Scopes', 'Access token expires', null]}
        >
          {items.map((s) => {
            const c = s.connection;
            const status = c ? STATUS[c.status] : null;
            return (
              <tr key={s.id}>
                <td>
                  <span className="strong">{s.name}</span>
                  {s.description && <div className="small muted">{s.description}</div>}
                </td>
                <td>
                  {status ? (
                    <span className={`badge ${status.badge}`}>{status.label}</span>
                  ) : (
                    <span className="muted">not connected</span>
                  )}
                  {c?.status === 'refresh_failed' && (
                    <div className="small">The provider no longer accepts the connection: reconnect it.</div>
                  )}
                </td>
                <td>{(c?.scopes ?? s.scopes).join(' ') || '—'}</td>
                <td>
                  <DateTime value={c?.status === 'connected' ? c.expires_at : null} empty="—" />
                </td>
                <td>
                  <div className="buttons">
                    {(!c || c.status !== 'connected') && (
                      <ConnectButton
                        label={c?.status === 'refresh_failed' ? 'Reconnect' : c ? 'Connect again' : 'Connect'}
                        service={s.name}
                        busy={connect.isPending}
                        onClick={() => {
                          setDone('');
                          connect.mutate(s);
                        }}
                      />
                    )}
                    {c && (
                      <button
                        type="button"
                        className="button-secondary"
                        disabled={disconnect.isPending}
                        aria-label={`${c.status === 'revoked' ? 'Remove' : 'Disconnect'} ${s.name}`}
                        onClick={() => disconnect.mutate({ service: s, connectionId: c.id })}
                      >
                        {c.status === 'revoked' ? 'Remove' : 'Disconnect'}
                      </button>
                    )}
                  </div>
                </td>
              </tr>
            );
          })}
        </DataTable>
      )}
    </Page>
  );
}

/** A row's button, named with its service for screen readers ("Reconnect GitHub"). */
function ConnectButton({
  label,
  service,
  busy,
  onClick,
}: {
  label: string;
  service: string;
  busy: boolean;
  onClick: () => void;
}) {
  return (
    <button type="button" disabled={busy} aria-label={`${label} ${service}`} onClick={onClick}>
      {label}
    </button>
  );
}
