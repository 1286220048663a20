import { useEffect, useRef, type ReactNode } from 'react';
import { usePageTitle } from '../components/page-title';

/**
 * A screen: sets the document title and moves focus to its heading when it opens, so keyboard and screen-reader
 * users land on the new content after a client-side navigation (nothing reloads to tell them).
 */
export function Page({
  title,
  heading,
  actions,
  children,
}: {
  title: string;
  heading?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
}) {
  usePageTitle(title);
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus({ preventScroll: false });
  }, [title]);
  return (
    <>
      <div className="page-header">
        <h1 tabIndex={-1} ref={ref}>
          {heading ?? title}
        </h1>
        {actions && <div className="page-actions">{actions}</div>}
      </div>
      {children}
    </>
  );
}
