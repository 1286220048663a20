import { useState } from 'react';
import { Field, Form } from './form';

/** A destructive action that needs the exact name typed first (GitHub-style typed confirmation). */
export function ConfirmDelete({
  what,
  expected,
  button,
  busy,
  onConfirm,
}: {
  what: string;
  expected: string;
  button: string;
  busy?: boolean;
  onConfirm: () => void;
}) {
  const [typed, setTyped] = useState('');
  return (
    <Form onSubmit={() => typed === expected && onConfirm()} label={button}>
      <Field label={`Type ${expected} to confirm`} hint={`This ${what} cannot be undone.`}>
        {(props) => (
          <input
            {...props}
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            autoComplete="off"
            spellCheck={false}
          />
        )}
      </Field>
      <button type="submit" className="button-danger" disabled={typed !== expected || busy}>
        {button}
      </button>
    </Form>
  );
}
