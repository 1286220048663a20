import { useState, type ReactNode } from 'react';
import { useCursorPages } from './cursor-pager';
import { Form } from './form';

/**
 * Filters edited in a draft and applied on submit (so the API is asked once, not per keystroke), with the cursor
 * stack of the filtered list: applying or clearing goes back to the first page.
 */
export function useFilters<T extends { [K in keyof T]: string }>(empty: T) {
  const [draft, setDraft] = useState<T>(empty);
  const [applied, setApplied] = useState<T>(empty);
  const pages = useCursorPages();
  return {
    draft,
    applied,
    pages,
    filtered: Object.values(applied).some(Boolean),
    set: (k: keyof T) => (e: { target: { value: string } }) => setDraft({ ...draft, [k]: e.target.value }),
    apply: () => {
      setApplied(draft);
      pages.reset();
    },
    clear: () => {
      setDraft(empty);
      setApplied(empty);
      pages.reset();
    },
  };
}

/** The filter form: its fields, then "Apply filters" and "Clear". */
export function FilterForm({
  label,
  filters,
  children,
}: {
  label: string;
  filters: { apply: () => void; clear: () => void; filtered: boolean };
  children: ReactNode;
}) {
  return (
    <Form label={label} className="filters" onSubmit={filters.apply}>
      {children}
      <div className="filter-buttons">
        <button type="submit">Apply filters</button>
        <button type="button" className="button-secondary" disabled={!filters.filtered} onClick={filters.clear}>
          Clear
        </button>
      </div>
    </Form>
  );
}
