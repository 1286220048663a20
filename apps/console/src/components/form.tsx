import { useId, type FormEvent, type InputHTMLAttributes, type ReactNode, type TextareaHTMLAttributes } from 'react';

/**
 * A form that never submits itself: `method="post"` so that, even if a script failed, nothing typed here
 * (passwords, secret values) could end up in a URL.
 */
export function Form({
  onSubmit,
  children,
  label,
  className,
}: {
  onSubmit: () => void;
  children: ReactNode;
  label?: string;
  className?: string;
}) {
  return (
    <form
      method="post"
      aria-label={label}
      className={className}
      noValidate={false}
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      {children}
    </form>
  );
}

/** A labelled field; `hint` is tied to the input with aria-describedby. */
export function Field({
  label,
  hint,
  children,
}: {
  label: string;
  hint?: ReactNode;
  children: (props: { id: string; 'aria-describedby'?: string }) => ReactNode;
}) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-describedby': hintId })}
      {hint && (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      )}
    </div>
  );
}

type Controlled<E> = Omit<E, 'id' | 'value' | 'onChange' | 'children'> & {
  label: string;
  hint?: ReactNode;
  value: string;
  onChange: (value: string) => void;
};

/** A labelled text input (any `type`: text, email, password, url) holding a string. */
export function TextField({
  label,
  hint,
  value,
  onChange,
  ...input
}: Controlled<InputHTMLAttributes<HTMLInputElement>>) {
  return (
    <Field label={label} hint={hint}>
      {(p) => <input {...input} {...p} value={value} onChange={(e) => onChange(e.target.value)} />}
    </Field>
  );
}

/** A labelled textarea holding a string. */
export function TextAreaField({
  label,
  hint,
  value,
  onChange,
  ...textarea
}: Controlled<TextareaHTMLAttributes<HTMLTextAreaElement>>) {
  return (
    <Field label={label} hint={hint}>
      {(p) => <textarea {...textarea} {...p} value={value} onChange={(e) => onChange(e.target.value)} />}
    </Field>
  );
}
