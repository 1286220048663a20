import { useState } from 'react';

/** Keyset paging with the API's opaque cursors: a stack of the cursors that led to the page shown. */
export function useCursorPages() {
  const [cursors, setCursors] = useState<string[]>([]);
  return {
    cursor: cursors.at(-1),
    page: cursors.length + 1,
    reset: () => setCursors([]),
    previous: cursors.length ? () => setCursors(cursors.slice(0, -1)) : undefined,
    next: (nextCursor: string | null | undefined) =>
      nextCursor ? () => setCursors([...cursors, nextCursor]) : undefined,
  };
}

export function CursorPager({
  label,
  pages,
  nextCursor,
}: {
  label: string;
  pages: ReturnType<typeof useCursorPages>;
  nextCursor: string | null | undefined;
}) {
  const next = pages.next(nextCursor);
  return (
    <nav className="pager" aria-label={label}>
      <button type="button" className="button-secondary" disabled={!pages.previous} onClick={pages.previous}>
        Previous page
      </button>
      <span className="small muted">Page {pages.page}</span>
      <button type="button" className="button-secondary" disabled={!next} onClick={next}>
        Next page
      </button>
    </nav>
  );
}
