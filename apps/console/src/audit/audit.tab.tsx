import { useMemo } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { unwrap } from '@lockwell/sdk';
import type { AuditQuery, AuditRecord } from '../api/types';
import { useApi } from '../session/session-context';
import { CursorPager } from '../components/cursor-pager';
import { DataTable } from '../components/data-table';
import { DateTime } from '../components/date-time';
import { EmptyState } from '../components/empty-state';
import { ErrorMessage } from '../components/error-message';
import { Field } from '../components/form';
import { FilterForm, useFilters } from '../components/filters';
import { actorLabel, KNOWN_ACTIONS, localToIso, OUTCOMES } from './audit-labels';
import { ChainVerification } from './chain-verification';
import { useMembers } from '../queries/tenants';

const PAGE_SIZE = 25;

interface FilterDraft {
  action: string;
  actor_id: string;
  outcome: '' | AuditRecord['outcome'];
  from: string;
  to: string;
}
const NO_FILTERS: FilterDraft = { action: '', actor_id: '', outcome: '', from: '', to: '' };

function toQuery(tenantId: string, f: FilterDraft, cursor: string | undefined): AuditQuery {
  const from = localToIso(f.from);
  const to = localToIso(f.to);
  return {
    tenant_id: tenantId,
    limit: PAGE_SIZE,
    ...(cursor ? { cursor } : {}),
    ...(f.action.trim() ? { action: f.action.trim() } : {}),
    ...(f.actor_id ? { actor_id: f.actor_id } : {}),
    ...(f.outcome ? { outcome: f.outcome } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
  };
}

/** `detail` as short `key: value` pairs (metadata only: the audit service redacts anything secret, AUD-3). */
function Detail({ detail }: { detail: AuditRecord['detail'] }) {
  const entries = Object.entries(detail);
  if (entries.length === 0) return <>—</>;
  return (
    <ul className="plain small">
      {entries.map(([k, v]) => (
        <li key={k}>
          {k}: <code>{typeof v === 'string' ? v : JSON.stringify(v)}</code>
        </li>
      ))}
    </ul>
  );
}

/**
 * A tenant's audit log, newest first: filters (action, actor, outcome, time range) applied by the API, keyset
 * paging with its cursors, and the hash chain's verification.
 */
export function AuditTab({ tenantId }: { tenantId: string }) {
  const api = useApi();
  const filterState = useFilters(NO_FILTERS);
  const { draft, set, applied: filters, filtered, pages } = filterState;
  const { cursor } = pages;
  const records = useQuery({
    queryKey: ['audit', tenantId, filters, cursor],
    queryFn: () => unwrap(api.GET('/api/v1/audit', { params: { query: toQuery(tenantId, filters, cursor) } })),
    placeholderData: keepPreviousData,
    staleTime: 0,
  });
  // Members name the actors; a caller who may read the audit log may read the members.
  const members = useMembers(tenantId);
  const emails = useMemo(
    () => new Map((members.data?.items ?? []).map((m) => [m.user_id, m.email ?? m.user_id])),
    [members.data],
  );
  const items = records.data?.items ?? [];
  return (
    <>
      <ChainVerification tenantId={tenantId} />
      <section aria-labelledby="audit-heading">
        <div className="section-header">
          <h2 id="audit-heading">Audit log</h2>
          <button type="button" className="button-secondary" onClick={() => void records.refetch()}>
            Refresh
          </button>
        </div>
        <FilterForm label="Filter audit records" filters={filterState}>
          <Field label="Action" hint="e.g. secret.read">
            {(p) => (
              <>
                <input {...p} list="audit-actions" value={draft.action} onChange={set('action')} />
                <datalist id="audit-actions">
                  {KNOWN_ACTIONS.map((a) => (
                    <option key={a} value={a} />
                  ))}
                </datalist>
              </>
            )}
          </Field>
          <Field label="Actor">
            {(p) => (
              <select {...p} value={draft.actor_id} onChange={set('actor_id')}>
                <option value="">anyone</option>
                {members.data?.items.map((m) => (
                  <option key={m.user_id} value={m.user_id}>
                    {m.email ?? m.user_id}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Outcome">
            {(p) => (
              <select {...p} value={draft.outcome} onChange={set('outcome')}>
                <option value="">any</option>
                {OUTCOMES.map((o) => (
                  <option key={o} value={o}>
                    {o}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="From" hint="your local time">
            {(p) => <input {...p} type="datetime-local" value={draft.from} onChange={set('from')} />}
          </Field>
          <Field label="Until" hint="exclusive">
            {(p) => <input {...p} type="datetime-local" value={draft.to} onChange={set('to')} />}
          </Field>
        </FilterForm>
        <ErrorMessage error={records.error} />
        {records.data && items.length === 0 && (
          <EmptyState title={filtered ? 'No record matches these filters.' : 'No audit records yet.'}>
            {filtered
              ? 'Change or clear the filters.'
              : 'Actions in this tenant appear here a moment after they happen. Refresh to look again.'}
          </EmptyState>
        )}
        {items.length > 0 && (
          <DataTable label="Audit records" headers={['Time', 'Actor', 'Action', 'Outcome', 'Resource', 'Detail']}>
            {items.map((r) => (
              <tr key={r.id}>
                <td>
                  <DateTime value={r.time} />
                </td>
                <td>
                  {actorLabel(r.actor, emails)}
                  {r.ip && <div className="small muted">from {r.ip}</div>}
                </td>
                <td>
                  <code>{r.action}</code>
                </td>
                <td>
                  <span className={`badge ${r.outcome === 'success' ? 'badge-ok' : 'badge-warn'}`}>{r.outcome}</span>
                </td>
                <td>
                  {r.resource_type}
                  {r.resource_id && (
                    <div className="small muted">
                      <code>{r.resource_id}</code>
                    </div>
                  )}
                </td>
                <td>
                  <Detail detail={r.detail} />
                </td>
              </tr>
            ))}
          </DataTable>
        )}
        <CursorPager label="Pages of audit records" pages={pages} nextCursor={records.data?.next_cursor} />
      </section>
    </>
  );
}
