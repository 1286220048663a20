import type { SecretMetadata } from '../api/types';
import { Field } from '../components/form';
import { ENVIRONMENTS } from './secret-labels';

/** The descriptive fields of a secret as typed in a form. */
export interface MetadataDraft {
  service_name: string;
  secret_key_name: string;
  environment: string;
  description: string;
  tags: string;
  /** yyyy-mm-dd in the reader's time zone, or empty. */
  expires_on: string;
  rotation_interval_days: string;
}

export const emptyMetadata = (): MetadataDraft => ({
  service_name: '',
  secret_key_name: '',
  environment: 'development',
  description: '',
  tags: '',
  expires_on: '',
  rotation_interval_days: '',
});

function localDate(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export const metadataOf = (s: SecretMetadata): MetadataDraft => ({
  service_name: s.service_name,
  secret_key_name: s.secret_key_name,
  environment: s.environment,
  description: s.description ?? '',
  tags: s.tags.join(', '),
  expires_on: localDate(s.expires_at),
  rotation_interval_days: s.rotation_interval_days ? String(s.rotation_interval_days) : '',
});

/** The request fields; an expiry date means the end of that day where the reader is. */
export function metadataBody(d: MetadataDraft) {
  return {
    service_name: d.service_name.trim(),
    secret_key_name: d.secret_key_name.trim(),
    environment: d.environment.trim(),
    description: d.description.trim() || null,
    tags: d.tags
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean),
    expires_at: d.expires_on ? new Date(`${d.expires_on}T23:59:59`).toISOString() : null,
    rotation_interval_days: d.rotation_interval_days ? Number(d.rotation_interval_days) : null,
  };
}

export function MetadataFields({
  draft,
  onChange,
  expiryFromCertificate,
}: {
  draft: MetadataDraft;
  onChange: (d: MetadataDraft) => void;
  expiryFromCertificate?: boolean;
}) {
  const set = (k: keyof MetadataDraft) => (e: { target: { value: string } }) =>
    onChange({ ...draft, [k]: e.target.value });
  return (
    <>
      <div className="row">
        <Field label="Service" hint="What the secret is for, e.g. openai, postgres, stripe.">
          {(p) => (
            <input
              {...p}
              required
              maxLength={200}
              spellCheck={false}
              value={draft.service_name}
              onChange={set('service_name')}
            />
          )}
        </Field>
        <Field label="Key name" hint="Which credential of the service, e.g. api_key, password.">
          {(p) => (
            <input
              {...p}
              required
              maxLength={200}
              spellCheck={false}
              value={draft.secret_key_name}
              onChange={set('secret_key_name')}
            />
          )}
        </Field>
        <Field label="Environment" hint="development, staging, production, or your own name.">
          {(p) => (
            <>
              <input
                {...p}
                required
                list="environments"
                pattern="[a-z0-9][a-z0-9_\-]{0,62}"
                spellCheck={false}
                value={draft.environment}
                onChange={set('environment')}
              />
              <datalist id="environments">
                {ENVIRONMENTS.map((e) => (
                  <option key={e} value={e} />
                ))}
              </datalist>
            </>
          )}
        </Field>
      </div>
      <Field label="Description (optional)">
        {(p) => <textarea {...p} rows={2} maxLength={2000} value={draft.description} onChange={set('description')} />}
      </Field>
      <div className="row">
        <Field label="Tags (optional)" hint="Separated by commas.">
          {(p) => <input {...p} value={draft.tags} onChange={set('tags')} />}
        </Field>
        <Field
          label="Expires on (optional)"
          hint={expiryFromCertificate ? 'Taken from the certificate.' : 'You are reminded before it expires.'}
        >
          {(p) => (
            <input
              {...p}
              type="date"
              disabled={expiryFromCertificate}
              value={draft.expires_on}
              onChange={set('expires_on')}
            />
          )}
        </Field>
        <Field label="Rotate every (days, optional)" hint="You are reminded when a rotation is due.">
          {(p) => (
            <input
              {...p}
              type="number"
              min={1}
              max={3650}
              value={draft.rotation_interval_days}
              onChange={set('rotation_interval_days')}
            />
          )}
        </Field>
      </div>
    </>
  );
}
