import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { unwrap } from '@lockwell/sdk';
import { useApi } from '../session/session-context';

/** Every inbox query starts with this key: marking read invalidates the list and the count at once. */
export const INBOX_KEY = ['notifications'] as const;
/** The API pages at most 200 items; the count says "200+" beyond. */
const COUNT_PAGE = 200;
/** The navigation's count is fresh within a minute without a reload. */
const COUNT_REFRESH_MS = 60_000;
/** "Mark all read" stops after this many pages of unread items (10 000): a press must end. */
const MAX_PAGES = 50;

/** The caller's unread notifications, counted from the inbox (the API has no count route). */
export function useUnreadCount() {
  const api = useApi();
  return useQuery({
    queryKey: [...INBOX_KEY, 'unread-count'],
    refetchInterval: COUNT_REFRESH_MS,
    refetchOnWindowFocus: true,
    // Opening the inbox asks again, so the count never disagrees with the items shown.
    staleTime: 0,
    queryFn: async () => {
      const page = await unwrap(
        api.GET('/api/v1/notifications', { params: { query: { unread: 'true', limit: COUNT_PAGE } } }),
      );
      return { count: page.items.length, more: !!page.next_cursor };
    },
  });
}

/** Marks one item read, or (with `all`) every unread item, one request each as the API allows. */
export function useMarkRead() {
  const api = useApi();
  const queryClient = useQueryClient();
  const markOne = (id: string) =>
    unwrap(api.POST('/api/v1/notifications/{notification_id}/read', { params: { path: { notification_id: id } } }));
  return useMutation({
    mutationFn: async (which: { id: string } | 'all'): Promise<number> => {
      if (which !== 'all') {
        await markOne(which.id);
        return 1;
      }
      // Read items leave the unread filter, so the first page is always the next batch; stop when it is empty
      // (or after MAX_PAGES batches, should the API ever keep answering the same page).
      let marked = 0;
      for (let batch = 0; batch < MAX_PAGES; batch++) {
        const page = await unwrap(
          api.GET('/api/v1/notifications', { params: { query: { unread: 'true', limit: COUNT_PAGE } } }),
        );
        if (page.items.length === 0) return marked;
        for (const item of page.items) await markOne(item.id);
        marked += page.items.length;
      }
      return marked;
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: INBOX_KEY }),
  });
}
