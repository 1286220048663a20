import { useEffect, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { Page } from '../layout/page';
import type { SecretMetadata, SecretWithValue } from '../api/types';
import { unwrap } from '@lockwell/sdk';
import { useApi, useProfile } from '../session/session-context';
import { tenantPermissions } from '../session/permissions';
import { ConfirmDelete } from '../components/confirm-delete';
import { DataTable } from '../components/data-table';
import { DateTime } from '../components/date-time';
import { ErrorMessage } from '../components/error-message';
import { Form } from '../components/form';
import { StatusMessage } from '../components/status-message';
import { metadataBody, MetadataFields, metadataOf } from './metadata-fields';
import { secretsPath } from './secret-api';
import { TYPE_LABELS } from './secret-labels';
import { RevealedValue } from './revealed-value';
import { StatusBadge } from './status-badge';
import { useSecretScope } from './use-secret-scope';
import { draftIsEmpty, draftPayload, emptyDraft, ValueFields } from './value-fields';

/** Whether the caller may write or delete a tenant secret in its environment (personal secrets: always theirs). */
function useMay(secret: SecretMetadata | undefined) {
  const profile = useProfile();
  if (!secret || secret.scope === 'user') return { write: true, remove: true };
  const granted = tenantPermissions(profile, secret.tenant_id!);
  const may = (p: string) => granted.includes(p) || granted.includes(`${p}@${secret.environment}`);
  return { write: may('secrets:write'), remove: may('secrets:delete') };
}

/** One secret: value hidden until revealed, details, edit, versions with rollback, where used, lifecycle. */
export function SecretDetailPage() {
  const { secretId = '' } = useParams();
  const { scope, tenantId, secrets } = useSecretScope();
  const queryClient = useQueryClient();
  const location = useLocation();
  const key = ['secret', scope, secretId];
  const metadata = useQuery({ queryKey: key, queryFn: () => secrets.metadata(secretId) });
  const [done, setDone] = useState<string>(location.state?.created ? 'Secret created.' : '');
  const refresh = async (message: string) => {
    setDone(message);
    await queryClient.invalidateQueries({ queryKey: key });
    await queryClient.invalidateQueries({ queryKey: ['secret-versions', secretId] });
    await queryClient.invalidateQueries({ queryKey: ['secrets'] });
  };
  const secret = metadata.data;
  const name = secret ? `${secret.service_name}/${secret.secret_key_name}` : 'Secret';
  return (
    <Page title={name} heading={name}>
      <p>
        <Link to={secretsPath(scope, tenantId)}>Back to the secrets</Link>
      </p>
      <ErrorMessage error={metadata.error} />
      <StatusMessage>{done}</StatusMessage>
      {secret && (
        <>
          <p className="badges">
            <span className="badge">{TYPE_LABELS[secret.type]}</span>{' '}
            <span className="badge">{secret.environment}</span> <StatusBadge status={secret.status} />{' '}
            <span className="badge">version {secret.version}</span>
          </p>
          <ValueSection secret={secret} />
          <Details secret={secret} />
          <EditSection secret={secret} onSaved={refresh} />
          <VersionsSection secret={secret} onRolledBack={refresh} />
          <UsageSection secret={secret} />
          <LifecycleSection secret={secret} onChanged={refresh} />
        </>
      )}
    </Page>
  );
}

function ValueSection({ secret }: { secret: SecretMetadata }) {
  const { secrets } = useSecretScope();
  const queryClient = useQueryClient();
  const [revealed, setRevealed] = useState<SecretWithValue | null>(null);
  // A value shown for one version is not the next version's: hide it when the secret changes.
  useEffect(() => setRevealed(null), [secret.version, secret.id]);
  const reveal = useMutation({
    mutationFn: () => secrets.reveal(secret.id),
    onSuccess: (s) => {
      setRevealed(s);
      void queryClient.invalidateQueries({ queryKey: ['secret-usage', secret.id] });
    },
  });
  return (
    <section className="card" aria-labelledby="value-heading">
      <h2 id="value-heading">Value</h2>
      <ErrorMessage error={reveal.error} />
      {revealed ? (
        <>
          <RevealedValue secret={revealed} />
          <button type="button" className="button-secondary" onClick={() => setRevealed(null)}>
            Hide value
          </button>
        </>
      ) : (
        <>
          <p className="masked" aria-label="Value hidden">
            ••••••••••••
          </p>
          <p className="small muted">
            Revealing reads the secret: the read is recorded (where used, audit) and reactivates an inactive secret.
          </p>
          <button type="button" onClick={() => reveal.mutate()} disabled={reveal.isPending}>
            Reveal value
          </button>
        </>
      )}
    </section>
  );
}

function Details({ secret }: { secret: SecretMetadata }) {
  return (
    <section aria-labelledby="details-heading">
      <h2 id="details-heading">Details</h2>
      <dl className="facts">
        <dt>Description</dt>
        <dd>{secret.description ?? '—'}</dd>
        <dt>Tags</dt>
        <dd>{secret.tags.length ? secret.tags.join(', ') : '—'}</dd>
        <dt>Expires</dt>
        <dd>
          <DateTime value={secret.expires_at} empty="never" />
        </dd>
        <dt>Rotation</dt>
        <dd>{secret.rotation_interval_days ? `every ${secret.rotation_interval_days} days` : 'no schedule'}</dd>
        <dt>Last read</dt>
        <dd>
          <DateTime value={secret.last_accessed_at} empty="never" />
        </dd>
        <dt>Created</dt>
        <dd>
          <DateTime value={secret.created_at} />
        </dd>
        <dt>Updated</dt>
        <dd>
          <DateTime value={secret.updated_at} />
        </dd>
      </dl>
    </section>
  );
}

function EditSection({ secret, onSaved }: { secret: SecretMetadata; onSaved: (message: string) => Promise<void> }) {
  const { secrets } = useSecretScope();
  const may = useMay(secret);
  const [open, setOpen] = useState(false);
  const [metadata, setMetadata] = useState(() => metadataOf(secret));
  const [draft, setDraft] = useState(() => emptyDraft(secret.type));
  useEffect(() => {
    setMetadata(metadataOf(secret));
  }, [secret]);
  const save = useMutation({
    mutationFn: () => {
      const body = metadataBody(metadata);
      const newValue = draftIsEmpty(secret.type, draft) ? {} : draftPayload(secret.type, draft);
      // A certificate's expiry comes from the certificate: only send one for other types.
      const { expires_at, ...rest } = body;
      return secrets.update(
        secret.id,
        { ...rest, ...(secret.type === 'certificate' ? {} : { expires_at }), ...newValue },
        secret.version,
      );
    },
    onSuccess: async (updated) => {
      setDraft(emptyDraft(secret.type));
      setOpen(false);
      await onSaved(updated.version > secret.version ? `Saved as version ${updated.version}.` : 'Saved.');
    },
  });
  if (!may.write) return null;
  return (
    <section aria-labelledby="edit-heading">
      <h2 id="edit-heading">Edit</h2>
      {!open ? (
        <button type="button" className="button-secondary" onClick={() => setOpen(true)}>
          Edit secret
        </button>
      ) : (
        <>
          <ErrorMessage error={save.error} />
          <Form label="Edit secret" className="card" onSubmit={() => save.mutate()}>
            <MetadataFields
              draft={metadata}
              onChange={setMetadata}
              expiryFromCertificate={secret.type === 'certificate'}
            />
            <h3>New value (optional)</h3>
            <p className="small muted">
              Leave empty to keep the current value. A new value becomes version {secret.version + 1}; older versions
              stay for rollback.
            </p>
            <ValueFields type={secret.type} draft={draft} onChange={setDraft} required={false} />
            <div className="buttons">
              <button type="submit" disabled={save.isPending}>
                Save changes
              </button>
              <button type="button" className="button-secondary" onClick={() => setOpen(false)}>
                Cancel
              </button>
            </div>
          </Form>
        </>
      )}
    </section>
  );
}

function VersionsSection({
  secret,
  onRolledBack,
}: {
  secret: SecretMetadata;
  onRolledBack: (message: string) => Promise<void>;
}) {
  const { secrets } = useSecretScope();
  const may = useMay(secret);
  const versions = useQuery({ queryKey: ['secret-versions', secret.id], queryFn: () => secrets.versions(secret.id) });
  const rollback = useMutation({
    mutationFn: (to: number) => secrets.rollback(secret.id, to, secret.version),
    onSuccess: (s, to) => onRolledBack(`Rolled back: version ${s.version} now holds the value of version ${to}.`),
  });
  return (
    <section aria-labelledby="versions-heading">
      <h2 id="versions-heading">Versions</h2>
      <ErrorMessage error={versions.error ?? rollback.error} />
      <DataTable label="Versions" headers={['Version', 'Created', null]}>
        {versions.data?.items.map((v) => (
          <tr key={v.version}>
            <td>
              {v.version} {v.current && <span className="badge badge-ok">current</span>}
            </td>
            <td>
              <DateTime value={v.created_at} />
            </td>
            <td>
              {!v.current && may.write && (
                <button
                  type="button"
                  className="button-secondary"
                  disabled={rollback.isPending}
                  onClick={() => rollback.mutate(v.version)}
                >
                  Roll back to version {v.version}
                </button>
              )}
            </td>
          </tr>
        ))}
      </DataTable>
    </section>
  );
}

/** Names for the readers of a secret: you, a member of its tenant, or one of your API tokens; others by id. */
function useConsumerNames(secret: SecretMetadata): (type: string, id: string) => string {
  const api = useApi();
  const profile = useProfile();
  const tokens = useQuery({ queryKey: ['api-tokens'], queryFn: () => unwrap(api.GET('/api/v1/tokens/api')) });
  const members = useQuery({
    queryKey: ['members', secret.tenant_id],
    enabled: secret.scope === 'tenant',
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/tenants/{tenant_id}/members', {
          params: { path: { tenant_id: secret.tenant_id! }, query: { limit: 200 } },
        }),
      ),
  });
  return (type, id) => {
    if (type === 'api_token') {
      const token = tokens.data?.items.find((t) => t.id === id);
      return token ? `API token “${token.name}”` : `API token ${id.slice(0, 8)}`;
    }
    if (id === profile.user.id) return 'You';
    return members.data?.items.find((m) => m.user_id === id)?.email ?? `User ${id.slice(0, 8)}`;
  };
}

function UsageSection({ secret }: { secret: SecretMetadata }) {
  const { secrets } = useSecretScope();
  const nameOf = useConsumerNames(secret);
  const usage = useQuery({ queryKey: ['secret-usage', secret.id], queryFn: () => secrets.usage(secret.id) });
  return (
    <section aria-labelledby="usage-heading">
      <h2 id="usage-heading">Where used</h2>
      <ErrorMessage error={usage.error} />
      {usage.data?.items.length === 0 ? (
        <p className="muted">Nobody has read this secret yet.</p>
      ) : (
        <DataTable label="Where used" headers={['Read by', 'First read', 'Last read', 'Reads']}>
          {usage.data?.items.map((u) => (
            <tr key={`${u.consumer_type}-${u.consumer_id}`}>
              <td>{nameOf(u.consumer_type, u.consumer_id)}</td>
              <td>
                <DateTime value={u.first_accessed_at} />
              </td>
              <td>
                <DateTime value={u.last_accessed_at} />
              </td>
              <td>{u.access_count}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}

function LifecycleSection({
  secret,
  onChanged,
}: {
  secret: SecretMetadata;
  onChanged: (message: string) => Promise<void>;
}) {
  const { scope, tenantId, secrets } = useSecretScope();
  const may = useMay(secret);
  const navigate = useNavigate();
  const schedule = useMutation({
    mutationFn: () => secrets.remove(secret.id, 'schedule', secret.version),
    onSuccess: () => onChanged('Deletion scheduled.'),
  });
  const cancel = useMutation({
    mutationFn: () => secrets.cancelDeletion(secret.id),
    onSuccess: () => onChanged('Deletion cancelled: the secret is active again.'),
  });
  const destroy = useMutation({
    mutationFn: () => secrets.remove(secret.id, 'now', secret.version),
    onSuccess: () => navigate(secretsPath(scope, tenantId)),
  });
  if (!may.remove) return null;
  return (
    <section className="card danger-zone" aria-labelledby="lifecycle-heading">
      <h2 id="lifecycle-heading">Lifecycle</h2>
      <ErrorMessage error={schedule.error ?? cancel.error ?? destroy.error} />
      {secret.status === 'scheduled_for_deletion' ? (
        <>
          <p>
            This secret will be destroyed on <DateTime value={secret.deletion_scheduled_at} />. Until then it can still
            be read.
          </p>
          <button type="button" onClick={() => cancel.mutate()} disabled={cancel.isPending}>
            Cancel deletion
          </button>
        </>
      ) : (
        <>
          <p>Scheduling a deletion keeps the secret for a grace period, in which you can still cancel.</p>
          <button
            type="button"
            className="button-secondary"
            onClick={() => schedule.mutate()}
            disabled={schedule.isPending}
          >
            Schedule deletion
          </button>
        </>
      )}
      <h3>Delete now</h3>
      <ConfirmDelete
        what="deletion destroys every version and"
        expected={secret.secret_key_name}
        button="Delete secret now"
        busy={destroy.isPending}
        onConfirm={() => destroy.mutate()}
      />
    </section>
  );
}
