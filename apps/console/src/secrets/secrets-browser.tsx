import { useMemo, useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { SecretMetadata, SecretStatus, SecretType } from '../api/types';
import { useApi } from '../session/session-context';
import { CursorPager } from '../components/cursor-pager';
import { DateTime } from '../components/date-time';
import { EmptyState } from '../components/empty-state';
import { ErrorMessage } from '../components/error-message';
import { Field } from '../components/form';
import { FilterForm, useFilters } from '../components/filters';
import { secretApi, secretPath, type ListFilters, type SecretScope } from './secret-api';
import { ENVIRONMENTS, STATUS_LABELS, TYPE_LABELS } from './secret-labels';
import { StatusBadge } from './status-badge';
import { SecretTypeOptions } from './type-options';

const PAGE_SIZE = 25;
const DAY_MS = 86_400_000;

interface FilterDraft {
  service_name: string;
  type: '' | SecretType;
  environment: string;
  status: '' | SecretStatus;
  expiring_days: string;
  q: string;
}
const NO_FILTERS: FilterDraft = { service_name: '', type: '', environment: '', status: '', expiring_days: '', q: '' };

type SortKey = 'name' | 'type' | 'environment' | 'status' | 'expires_at' | 'last_accessed_at' | 'updated_at';
const COLUMNS: [SortKey, string][] = [
  ['name', 'Name'],
  ['type', 'Type'],
  ['environment', 'Environment'],
  ['status', 'Status'],
  ['expires_at', 'Expires'],
  ['last_accessed_at', 'Last read'],
  ['updated_at', 'Updated'],
];

function sortValue(s: SecretMetadata, key: SortKey): string {
  if (key === 'name') return `${s.service_name}/${s.secret_key_name}`.toLowerCase();
  return String(s[key] ?? '');
}

function toQuery(f: FilterDraft, cursor: string | undefined): ListFilters {
  return {
    limit: PAGE_SIZE,
    ...(cursor ? { cursor } : {}),
    ...(f.service_name.trim() ? { service_name: f.service_name.trim() } : {}),
    ...(f.type ? { type: f.type } : {}),
    ...(f.environment.trim() ? { environment: f.environment.trim() } : {}),
    ...(f.status ? { status: f.status } : {}),
    ...(f.expiring_days
      ? { expiring_before: new Date(Date.now() + Number(f.expiring_days) * DAY_MS).toISOString() }
      : {}),
    ...(f.q.trim() ? { q: f.q.trim() } : {}),
  };
}

/**
 * The secrets of a scope: filters (applied by the API), keyset paging with the API's cursors, and sorting of
 * the page shown (the API lists in creation order; sorting happens in the browser, within the page).
 */
export function SecretsBrowser({
  scope,
  tenantId,
  canWrite,
}: {
  scope: SecretScope;
  tenantId?: string;
  canWrite: boolean;
}) {
  const api = useApi();
  const secrets = secretApi(api, scope, tenantId);
  const filterState = useFilters(NO_FILTERS);
  const { draft, set, applied: filters, filtered, pages } = filterState;
  const [sort, setSort] = useState<{ key: SortKey; ascending: boolean }>({ key: 'name', ascending: true });
  const { cursor } = pages;
  const list = useQuery({
    queryKey: ['secrets', scope, tenantId, filters, cursor],
    queryFn: () => secrets.list(toQuery(filters, cursor)),
    placeholderData: keepPreviousData,
  });
  const rows = useMemo(() => {
    const items = [...(list.data?.items ?? [])];
    items.sort((a, b) => sortValue(a, sort.key).localeCompare(sortValue(b, sort.key)) * (sort.ascending ? 1 : -1));
    return items;
  }, [list.data, sort]);
  const newPath = scope === 'user' ? '/secrets/new' : `/tenants/${tenantId}/secrets/new`;
  return (
    <section aria-labelledby="secrets-heading">
      <div className="section-header">
        <h2 id="secrets-heading">Secrets</h2>
        {canWrite && (
          <Link className="button" to={newPath}>
            New secret
          </Link>
        )}
      </div>
      <FilterForm label="Filter secrets" filters={filterState}>
        <Field label="Search">
          {(p) => (
            <input {...p} type="search" placeholder="service, key or description" value={draft.q} onChange={set('q')} />
          )}
        </Field>
        <Field label="Service">
          {(p) => <input {...p} value={draft.service_name} onChange={set('service_name')} />}
        </Field>
        <Field label="Type">
          {(p) => (
            <select {...p} value={draft.type} onChange={set('type')}>
              <option value="">any</option>
              <SecretTypeOptions />
            </select>
          )}
        </Field>
        <Field label="Environment">
          {(p) => (
            <select {...p} value={draft.environment} onChange={set('environment')}>
              <option value="">any</option>
              {ENVIRONMENTS.map((e) => (
                <option key={e} value={e}>
                  {e}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Status">
          {(p) => (
            <select {...p} value={draft.status} onChange={set('status')}>
              <option value="">any</option>
              {(Object.keys(STATUS_LABELS) as SecretStatus[]).map((s) => (
                <option key={s} value={s}>
                  {STATUS_LABELS[s]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Expiring">
          {(p) => (
            <select {...p} value={draft.expiring_days} onChange={set('expiring_days')}>
              <option value="">any time or never</option>
              <option value="7">within 7 days</option>
              <option value="30">within 30 days</option>
              <option value="90">within 90 days</option>
            </select>
          )}
        </Field>
      </FilterForm>
      <ErrorMessage error={list.error} />
      {list.data && rows.length === 0 && (
        <EmptyState title={filtered ? 'No secret matches these filters.' : 'No secrets here yet.'}>
          {filtered ? (
            'Change or clear the filters.'
          ) : canWrite ? (
            <Link to={newPath}>Create the first secret.</Link>
          ) : (
            'Nobody has stored a secret here yet.'
          )}
        </EmptyState>
      )}
      {rows.length > 0 && (
        <div className="table-wrap" role="region" aria-label="List of secrets" tabIndex={0}>
          <table>
            <caption className="visually-hidden">
              Secrets, sorted by {COLUMNS.find(([k]) => k === sort.key)![1]} within this page
            </caption>
            <thead>
              <tr>
                {COLUMNS.map(([key, label]) => (
                  <th
                    key={key}
                    scope="col"
                    aria-sort={sort.key === key ? (sort.ascending ? 'ascending' : 'descending') : 'none'}
                  >
                    <button
                      type="button"
                      className="sort"
                      onClick={() => setSort({ key, ascending: sort.key === key ? !sort.ascending : true })}
                    >
                      {label}
                      <span aria-hidden="true">{sort.key === key ? (sort.ascending ? ' ▲' : ' ▼') : ''}</span>
                    </button>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((s) => (
                <tr key={s.id}>
                  <td>
                    <Link to={secretPath(scope, s.id, tenantId)}>
                      {s.service_name}/{s.secret_key_name}
                    </Link>
                  </td>
                  <td>{TYPE_LABELS[s.type]}</td>
                  <td>{s.environment}</td>
                  <td>
                    <StatusBadge status={s.status} />
                  </td>
                  <td>
                    <DateTime value={s.expires_at} dateOnly empty="never" />
                  </td>
                  <td>
                    <DateTime value={s.last_accessed_at} empty="never" />
                  </td>
                  <td>
                    <DateTime value={s.updated_at} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <CursorPager label="Pages of secrets" pages={pages} nextCursor={list.data?.next_cursor} />
    </section>
  );
}
