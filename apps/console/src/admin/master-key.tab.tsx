import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { unwrap } from '@lockwell/sdk';
import { useApi } from '../session/session-context';
import { DataTable } from '../components/data-table';
import { ErrorMessage } from '../components/error-message';
import { StatusMessage } from '../components/status-message';

/** Master-key rotation status: the key ring, data keys per master key, and a button to re-wrap the rest. */
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
        Every data key is wrapped by a master key from <code>LOCKWELL_MASTER_KEY</code>; the highest id is active. To rotate: add a new key to the
        ring, restart the services, then re-wrap here (or with <code>npm run lockwell -- rotate-master-key</code>). At 0 remaining, older keys can
        leave the ring.
      </p>
      <ErrorMessage error={status.error ?? rotate.error} />
      <StatusMessage>{rotate.isSuccess && `Re-wrapped ${rotate.data.rewrapped} data keys; ${rotate.data.remaining} remaining.`}</StatusMessage>
      {s && (
        <>
          <dl className="facts">
            <dt>Active key id</dt>
            <dd>{s.active_master_key_id}</dd>
            <dt>Keys in the ring</dt>
            <dd>{s.key_ids.join(', ')}</dd>
            <dt>Data keys still under an older key</dt>
            <dd>{s.remaining === 0 ? <span className="badge badge-ok">0: rotation complete</span> : <span className="badge badge-warn">{s.remaining}</span>}</dd>
          </dl>
          <DataTable label="Data keys per master key" headers={['Master key id', 'Data keys it wraps']}>
                {s.data_keys.length === 0 && (
                  <tr>
                    <td colSpan={2}>No data keys yet: they are made with the first secret of each tenant or user.</td>
                  </tr>
                )}
                {s.data_keys.map((d) => (
                  <tr key={d.master_key_id}>
                    <td>
                      {d.master_key_id} {d.master_key_id === s.active_master_key_id && <span className="badge badge-ok">active</span>}
                    </td>
                    <td>{d.count}</td>
                  </tr>
                ))}
              </DataTable>
          <button type="button" disabled={rotate.isPending || s.remaining === 0} onClick={() => rotate.mutate()}>
            Re-wrap {s.remaining} data keys under key {s.active_master_key_id}
          </button>
        </>
      )}
    </section>
  );
}
