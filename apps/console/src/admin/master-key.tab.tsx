import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { unwrap } from '@lockwell/sdk';
import { useApi } from '../session/session-context';
import { DataTable } from '../components/data-table';
import { ErrorMessage } from '../components/error-message';
import { StatusMessage } from '../components/status-message';
import type { MasterKeyStatus } from '../api/types';

/** Master-key rotation status: the key ring, data keys and signing keys per master key, and a button to re-seal the rest. */
export function MasterKeyTab() {
  const api = useApi();
  const queryClient = useQueryClient();
  const status = useQuery({ queryKey: ['master-key'], queryFn: () => unwrap(api.GET('/api/v1/admin/master-key')) });
  const rotate = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/admin/master-key/rotate', { body: {} })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['master-key'] }),
  });
  const s = status.data;
  return (
    <section aria-labelledby="mk-heading">
      <h2 id="mk-heading">Master key</h2>
      <p className="muted">
        Every data key and JWT signing key is sealed by a master key from <code>LOCKWELL_MASTER_KEY</code>; the highest
        id is active. To rotate: add a new key to the ring, restart the services, then re-wrap here (or with{' '}
        <code>npm run lockwell -- rotate-master-key</code>). At 0 remaining, older keys can leave the ring.
      </p>
      <ErrorMessage error={status.error ?? rotate.error} />
      <StatusMessage>
        {rotate.isSuccess && `Re-sealed ${rotate.data.rewrapped} keys; ${rotate.data.remaining} remaining.`}
      </StatusMessage>
      {s && (
        <>
          <dl className="facts">
            <dt>Active key id</dt>
            <dd>{s.active_master_key_id}</dd>
            <dt>Keys in the ring</dt>
            <dd>{s.key_ids.join(', ')}</dd>
            <dt>Keys still under an older key</dt>
            <dd>
              {s.remaining === 0 ? (
                <span className="badge badge-ok">0: rotation complete</span>
              ) : (
                <span className="badge badge-warn">{s.remaining}</span>
              )}
            </dd>
          </dl>
          <DataTable
            label="Keys per master key"
            headers={['Master key id', 'Data keys it wraps', 'Signing keys it seals']}
          >
            {s.data_keys.length === 0 && s.signing_keys.length === 0 && (
              <tr>
                <td colSpan={3}>No keys yet.</td>
              </tr>
            )}
            {keysPerMasterKey(s).map((k) => (
              <tr key={k.id}>
                <td>
                  {k.id} {k.id === s.active_master_key_id && <span className="badge badge-ok">active</span>}
                </td>
                <td>{k.dataKeys}</td>
                <td>{k.signingKeys}</td>
              </tr>
            ))}
          </DataTable>
          <button type="button" disabled={rotate.isPending || s.remaining === 0} onClick={() => rotate.mutate()}>
            Re-seal {s.remaining} keys under key {s.active_master_key_id}
          </button>
        </>
      )}
    </section>
  );
}

/** One row per master key that seals anything: its data keys and signing keys side by side. */
function keysPerMasterKey(s: MasterKeyStatus): { id: number; dataKeys: number; signingKeys: number }[] {
  const ids = [...new Set([...s.data_keys, ...s.signing_keys].map((k) => k.master_key_id))].sort((a, b) => a - b);
  const count = (list: { master_key_id: number; count: number }[], id: number) =>
    list.find((k) => k.master_key_id === id)?.count ?? 0;
  return ids.map((id) => ({ id, dataKeys: count(s.data_keys, id), signingKeys: count(s.signing_keys, id) }));
}
