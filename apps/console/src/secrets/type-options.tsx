import { SECRET_TYPES, TYPE_LABELS } from './secret-labels';

/** The `<option>`s of a secret-type select. */
export function SecretTypeOptions() {
  return (
    <>
      {SECRET_TYPES.map((t) => (
        <option key={t} value={t}>
          {TYPE_LABELS[t]}
        </option>
      ))}
    </>
  );
}
