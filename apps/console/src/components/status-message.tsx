import type { ReactNode } from 'react';

/** A polite live region: screen readers announce what just succeeded without moving focus. */
export function StatusMessage({ children }: { children?: ReactNode }) {
  return (
    <div className="status" role="status" aria-live="polite">
      {children ? <p className="alert alert-success">{children}</p> : null}
    </div>
  );
}
