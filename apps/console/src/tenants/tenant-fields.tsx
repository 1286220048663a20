import { TextAreaField, TextField } from '../components/form';

export interface TenantDraft {
  name: string;
  slug: string;
  description: string;
}

/** The slug rule of the API (lower-case letters, digits and inner hyphens, at most 63). */
const SLUG_PATTERN = '[a-z0-9]([a-z0-9\\-]{0,61}[a-z0-9])?';

/** Name, slug and description of a tenant: one set of fields for creating it and for its settings. */
export function TenantFields({
  draft,
  onChange,
  creating,
}: {
  draft: TenantDraft;
  onChange: (draft: TenantDraft) => void;
  /** Creating: the slug and description may stay empty (the API makes the slug from the name). */
  creating?: boolean;
}) {
  const set = (key: keyof TenantDraft) => (value: string) => onChange({ ...draft, [key]: value });
  return (
    <>
      <div className="row">
        <TextField label="Name" required maxLength={100} value={draft.name} onChange={set('name')} />
        <TextField
          label={creating ? 'Slug (optional)' : 'Slug'}
          hint={
            creating
              ? 'Lower-case letters, digits and hyphens; made from the name when empty.'
              : 'Used by the CLI and SDK to name the tenant.'
          }
          required={!creating}
          pattern={SLUG_PATTERN}
          value={draft.slug}
          onChange={set('slug')}
        />
      </div>
      <TextAreaField
        label={creating ? 'Description (optional)' : 'Description'}
        rows={2}
        maxLength={1000}
        value={draft.description}
        onChange={set('description')}
      />
    </>
  );
}
