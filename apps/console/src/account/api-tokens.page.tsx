import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { unwrap } from '@lockwell/sdk';
import { Page } from '../layout/page';
import { useApi, useProfile } from '../session/session-context';
import { grantablePermissions } from '../session/permissions';
import { useMyTenants } from '../queries/tenants';
import type { CreatedApiToken } from '../api/types';
import { DataTable } from '../components/data-table';
import { DateTime } from '../components/date-time';
import { EmptyState } from '../components/empty-state';
import { ErrorMessage } from '../components/error-message';
import { Field, Form, TextField } from '../components/form';
import { PermissionCheckboxes } from '../components/permission-checkboxes';
import { ShownOnce } from '../components/shown-once';
import { StatusMessage } from '../components/status-message';

const LIFETIMES: [string, number][] = [
  ['1 hour', 3600],
  ['1 day', 86_400],
  ['7 days', 7 * 86_400],
  ['30 days', 30 * 86_400],
  ['90 days', 90 * 86_400],
];

/** Machine API tokens: create with permissions the user holds, see the value once, delete. */
export function ApiTokensPage() {
  const api = useApi();
  const queryClient = useQueryClient();
  const tokens = useQuery({ queryKey: ['api-tokens'], queryFn: () => unwrap(api.GET('/api/v1/tokens/api')) });
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  const revoke = useMutation({
    mutationFn: (id: string) =>
      unwrap(api.DELETE('/api/v1/tokens/api/{token_id}', { params: { path: { token_id: id } } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['api-tokens'] }),
  });
  const live = tokens.data?.items.filter((t) => !t.revoked_at) ?? [];
  return (
    <Page title="API tokens">
      <p className="muted">
        API tokens let scripts, CI jobs and the <code>lockwell</code> CLI call Lockwell as you, limited to the
        permissions you pick. A token never has more rights than you have when it is used.
      </p>
      {created ? (
        <NewTokenValue token={created} onDone={() => setCreated(null)} />
      ) : (
        <CreateToken onCreated={setCreated} />
      )}
      <section aria-labelledby="tokens-heading">
        <h2 id="tokens-heading">Your tokens</h2>
        <ErrorMessage error={tokens.error ?? revoke.error} />
        <StatusMessage>{revoke.isSuccess && 'Token deleted: it stops working at once.'}</StatusMessage>
        {tokens.data && live.length === 0 && (
          <EmptyState title="You have no API tokens.">
            Create one above when a program needs to reach Lockwell.
          </EmptyState>
        )}
        {live.length > 0 && (
          <DataTable label="API tokens" headers={['Name', 'Starts with', 'Permissions', 'Expires', 'Last used', null]}>
            {live.map((t) => (
              <tr key={t.id}>
                <td>{t.name}</td>
                <td>
                  <code>{t.prefix}…</code>
                </td>
                <td className="wrap">{t.permissions.join(', ')}</td>
                <td>
                  <DateTime value={t.expires_at} />
                </td>
                <td>
                  <DateTime value={t.last_used_at} empty="never" />
                </td>
                <td>
                  <button
                    type="button"
                    className="button-danger"
                    disabled={revoke.isPending}
                    onClick={() => revoke.mutate(t.id)}
                    aria-label={`Delete token ${t.name}`}
                  >
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>
    </Page>
  );
}

function CreateToken({ onCreated }: { onCreated: (t: CreatedApiToken) => void }) {
  const api = useApi();
  const profile = useProfile();
  const tenants = useMyTenants();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [tenantId, setTenantId] = useState('');
  const [lifetime, setLifetime] = useState(3600);
  const [chosen, setChosen] = useState<string[]>([]);
  const grantable = grantablePermissions(profile, tenantId || null);
  const create = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/tokens/api', {
          body: {
            name,
            permissions: chosen.filter((p) => grantable.includes(p)),
            ...(tenantId ? { tenant_id: tenantId } : {}),
            expires_at: new Date(Date.now() + lifetime * 1000).toISOString(),
          },
        }),
      ),
    onSuccess: (token) => {
      setName('');
      setChosen([]);
      void queryClient.invalidateQueries({ queryKey: ['api-tokens'] });
      onCreated(token);
    },
  });
  return (
    <section className="card" aria-labelledby="new-token-heading">
      <h2 id="new-token-heading">Create a token</h2>
      <ErrorMessage error={create.error} />
      <Form label="Create a token" onSubmit={() => create.mutate()}>
        <div className="row">
          <TextField
            label="Name"
            hint="What uses it, e.g. “CI deploy of the billing service”."
            required
            maxLength={100}
            value={name}
            onChange={setName}
          />
          <Field label="Tenant" hint="Bind the token to one tenant, or leave it usable in all of yours.">
            {(p) => (
              <select {...p} value={tenantId} onChange={(e) => setTenantId(e.target.value)}>
                <option value="">All my tenants</option>
                {tenants.data?.items.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Expires after">
            {(p) => (
              <select {...p} value={lifetime} onChange={(e) => setLifetime(Number(e.target.value))}>
                {LIFETIMES.map(([label, seconds]) => (
                  <option key={seconds} value={seconds}>
                    {label}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <PermissionCheckboxes
          legend={`Permissions (only those you hold${tenantId ? ' in this tenant' : ''})`}
          options={grantable}
          chosen={chosen}
          onChange={setChosen}
          empty="You hold no permissions a token could carry: join or create a tenant first."
        />
        <button type="submit" disabled={create.isPending || chosen.length === 0 || !name.trim()}>
          Create token
        </button>
      </Form>
    </section>
  );
}

/** The token's value, shown once: it is not stored in the browser and cannot be shown again. */
function NewTokenValue({ token, onDone }: { token: CreatedApiToken; onDone: () => void }) {
  return (
    <ShownOnce
      heading={<>Token “{token.name}” created</>}
      value={token.token}
      copyLabel="Copy token"
      testId="new-token-value"
      onDone={onDone}
    >
      Keep it in your CI’s secret store or pass it as <code>LOCKWELL_TOKEN</code>.
    </ShownOnce>
  );
}
