import { useState } from 'react';

/** Copies a value to the clipboard and says so to screen readers; the value itself is never announced. */
export function CopyButton({ value, label = 'Copy' }: { value: string; label?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  return (
    <>
      <button
        type="button"
        className="button-secondary"
        onClick={async () => {
          try {
            await navigator.clipboard.writeText(value);
            setState('copied');
          } catch {
            setState('failed');
          }
        }}
      >
        {label}
      </button>
      <span className="small muted" role="status" aria-live="polite">
        {state === 'copied'
          ? ' Copied to the clipboard.'
          : state === 'failed'
            ? ' The browser refused the clipboard: select the value and copy it by hand.'
            : ''}
      </span>
    </>
  );
}
