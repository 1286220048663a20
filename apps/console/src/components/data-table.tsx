import type { ReactNode } from 'react';

/**
 * A table in a focusable, labelled region that scrolls sideways on narrow screens (keyboard users can scroll it
 * too). A `null` header is an actions column, named for screen readers only.
 */
export function DataTable({
  label,
  headers,
  children,
}: {
  label: string;
  headers: (ReactNode | null)[];
  children: ReactNode;
}) {
  return (
    <div className="table-wrap" role="region" aria-label={label} tabIndex={0}>
      <table>
        <thead>
          <tr>
            {headers.map((h, i) => (
              <th key={i} scope="col">
                {h ?? <span className="visually-hidden">Actions</span>}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
