import { useState } from 'react';
import { Link } from 'react-router';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { unwrap } from '@lockwell/sdk';
import type { InboxItem, NotificationKind } from '../api/types';
import { useApi } from '../session/session-context';
import { CursorPager, useCursorPages } from '../components/cursor-pager';
import { DateTime } from '../components/date-time';
import { EmptyState } from '../components/empty-state';
import { ErrorMessage } from '../components/error-message';
import { Field } from '../components/form';
import { StatusMessage } from '../components/status-message';
import { INBOX_KEY, useMarkRead, useUnreadCount } from '../queries/notifications';
import { itemLink, KIND_LABELS, KINDS } from './kind-labels';

const PAGE_SIZE = 25;

/** The inbox, newest first: unread / kind filters applied by the API, cursor paging, mark one or all read. */
export function InboxTab() {
  const api = useApi();
  const queryClient = useQueryClient();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [kind, setKind] = useState<NotificationKind | ''>('');
  const pages = useCursorPages();
  const { cursor } = pages;
  const inbox = useQuery({
    queryKey: [...INBOX_KEY, 'list', unreadOnly, kind, cursor],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/notifications', {
          params: {
            query: {
              limit: PAGE_SIZE,
              ...(cursor ? { cursor } : {}),
              ...(unreadOnly ? { unread: 'true' as const } : {}),
              ...(kind ? { kind } : {}),
            },
          },
        }),
      ),
    placeholderData: keepPreviousData,
    staleTime: 0,
  });
  const unread = useUnreadCount();
  const mark = useMarkRead();
  const items = inbox.data?.items ?? [];
  const filtered = unreadOnly || !!kind;
  const unreadCount = unread.data ? `${unread.data.count}${unread.data.more ? '+' : ''}` : '…';
  return (
    <section aria-labelledby="inbox-heading">
      <div className="section-header">
        <h2 id="inbox-heading">Inbox</h2>
        <div className="buttons">
          <button
            type="button"
            className="button-secondary"
            onClick={() => void queryClient.invalidateQueries({ queryKey: INBOX_KEY })}
          >
            Refresh
          </button>
          <button
            type="button"
            disabled={mark.isPending || !unread.data || unread.data.count === 0}
            onClick={() => mark.mutate('all')}
          >
            Mark all read
          </button>
        </div>
      </div>
      <p className="muted">
        {unreadCount} unread. Choose which kinds reach you here or by email under{' '}
        <Link to="/notifications/preferences">Preferences</Link>.
      </p>
      <div className="filters">
        <Field label="Show">
          {(p) => (
            <select
              {...p}
              value={unreadOnly ? 'unread' : 'all'}
              onChange={(e) => {
                setUnreadOnly(e.target.value === 'unread');
                pages.reset();
              }}
            >
              <option value="all">All notifications</option>
              <option value="unread">Unread only</option>
            </select>
          )}
        </Field>
        <Field label="Kind">
          {(p) => (
            <select
              {...p}
              value={kind}
              onChange={(e) => {
                setKind(e.target.value as NotificationKind | '');
                pages.reset();
              }}
            >
              <option value="">Every kind</option>
              {KINDS.map((k) => (
                <option key={k} value={k}>
                  {KIND_LABELS[k]}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <ErrorMessage error={inbox.error ?? unread.error ?? mark.error} />
      <StatusMessage>
        {mark.isSuccess &&
          (mark.variables === 'all'
            ? `${mark.data} notification${mark.data === 1 ? '' : 's'} marked read.`
            : 'Marked read.')}
      </StatusMessage>
      {inbox.data && items.length === 0 && (
        <EmptyState title={filtered ? 'No notification matches these filters.' : 'Your inbox is empty.'}>
          <p>
            {filtered
              ? 'Show all notifications to see the others.'
              : 'Lockwell tells you here when a secret is about to expire or is due for rotation, when members of your tenants change, and when something happens to your account.'}
          </p>
        </EmptyState>
      )}
      {items.length > 0 && (
        <ul className="inbox" aria-label="Notifications">
          {items.map((item) => (
            <Notification key={item.id} item={item} busy={mark.isPending} onRead={() => mark.mutate({ id: item.id })} />
          ))}
        </ul>
      )}
      {(pages.previous || inbox.data?.next_cursor) && (
        <CursorPager label="Inbox pages" pages={pages} nextCursor={inbox.data?.next_cursor} />
      )}
    </section>
  );
}

function Notification({ item, busy, onRead }: { item: InboxItem; busy: boolean; onRead: () => void }) {
  const link = itemLink(item);
  const unread = !item.read_at;
  return (
    <li className={unread ? 'inbox-item unread' : 'inbox-item'}>
      <article aria-label={item.title}>
        <div className="inbox-head">
          <h3>
            {unread && <span className="badge badge-warn">unread</span>} {item.title}
          </h3>
          <span className="small muted">
            <DateTime value={item.created_at} />
          </span>
        </div>
        <p className="inbox-body">{item.body}</p>
        <div className="buttons small">
          <span className="badge">{KIND_LABELS[item.kind]}</span>
          {link && <Link to={link.to}>{link.label}</Link>}
          {unread && (
            <button
              type="button"
              className="button-secondary"
              disabled={busy}
              onClick={onRead}
              aria-label={`Mark read: ${item.title}`}
            >
              Mark read
            </button>
          )}
        </div>
      </article>
    </li>
  );
}
