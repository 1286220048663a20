import { useId, type ReactNode } from 'react';
import { CopyButton } from './copy-button';

/**
 * A credential the API returns once (an API token, a webhook's signing secret): focused when it appears, with a
 * copy button. It lives in this component's props only, never in Web Storage or a URL, and is gone on `onDone`.
 */
export function ShownOnce({
  heading,
  level = 2,
  value,
  copyLabel,
  testId,
  onDone,
  children,
}: {
  heading: ReactNode;
  level?: 2 | 3;
  value: string;
  copyLabel: string;
  testId: string;
  onDone: () => void;
  /** What the value is for, after "Copy it now: this is the only time it is shown." */
  children: ReactNode;
}) {
  const id = useId();
  const Heading = level === 2 ? 'h2' : 'h3';
  return (
    <section className="card card-highlight" aria-labelledby={id}>
      <Heading id={id} tabIndex={-1} ref={(el: HTMLHeadingElement | null) => el?.focus()}>
        {heading}
      </Heading>
      <p>
        <strong>Copy it now: this is the only time it is shown.</strong> {children}
      </p>
      <div className="secret-value">
        <code className="value" data-testid={testId}>
          {value}
        </code>
        <CopyButton value={value} label={copyLabel} />
      </div>
      <button type="button" onClick={onDone}>
        I have copied it
      </button>
    </section>
  );
}
