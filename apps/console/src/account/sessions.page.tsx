import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { unwrap } from '@lockwell/sdk';
import { Page } from '../layout/page';
import { useApi, useSession } from '../session/session-context';
import { DataTable } from '../components/data-table';
import { DateTime } from '../components/date-time';
import { ErrorMessage } from '../components/error-message';
import { StatusMessage } from '../components/status-message';

/** The caller's active sessions (browsers, the CLI): revoke one, or every other one. */
export function SessionsPage() {
  const api = useApi();
  const { signOut } = useSession();
  const queryClient = useQueryClient();
  const sessions = useQuery({ queryKey: ['sessions'], queryFn: () => unwrap(api.GET('/api/v1/tokens/sessions')) });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['sessions'] });
  const revoke = useMutation({
    mutationFn: (id: string) =>
      unwrap(api.DELETE('/api/v1/tokens/sessions/{session_id}', { params: { path: { session_id: id } } })),
    onSettled: refresh,
  });
  const others = sessions.data?.items.filter((s) => !s.current) ?? [];
  const revokeOthers = useMutation({
    mutationFn: async () => {
      for (const s of others)
        await unwrap(api.DELETE('/api/v1/tokens/sessions/{session_id}', { params: { path: { session_id: s.id } } }));
      return others.length;
    },
    onSettled: refresh,
  });
  return (
    <Page
      title="Sessions"
      heading="Active sessions"
      actions={
        <button
          type="button"
          className="button-danger"
          disabled={others.length === 0 || revokeOthers.isPending}
          onClick={() => revokeOthers.mutate()}
        >
          Sign out all other sessions
        </button>
      }
    >
      <p className="muted">
        Every sign-in (this browser, another one, the command line) is a session. Revoking one signs it out at once.
      </p>
      <ErrorMessage error={sessions.error ?? revoke.error ?? revokeOthers.error} />
      <StatusMessage>
        {revokeOthers.isSuccess &&
          `${revokeOthers.data} other session${revokeOthers.data === 1 ? '' : 's'} signed out.`}
        {revoke.isSuccess && 'Session revoked.'}
      </StatusMessage>
      <DataTable
        label="Sessions"
        headers={['Signed in', 'Last used', 'Ends at the latest', 'IP address', 'Browser or client', null]}
      >
        {sessions.data?.items.map((s) => (
          <tr key={s.id}>
            <td>
              <DateTime value={s.created_at} /> {s.current && <span className="badge badge-ok">this session</span>}
            </td>
            <td>
              <DateTime value={s.last_used_at} />
            </td>
            <td>
              <DateTime value={s.expires_at} />
            </td>
            <td>{s.ip ?? '—'}</td>
            <td className="wrap">{s.user_agent ?? '—'}</td>
            <td>
              {s.current ? (
                <button type="button" className="button-secondary" onClick={() => void signOut()}>
                  Sign out
                </button>
              ) : (
                <button
                  type="button"
                  className="button-secondary"
                  disabled={revoke.isPending}
                  onClick={() => revoke.mutate(s.id)}
                  aria-label={`Revoke the session signed in at ${new Date(s.created_at).toLocaleString()}`}
                >
                  Revoke
                </button>
              )}
            </td>
          </tr>
        ))}
      </DataTable>
    </Page>
  );
}
