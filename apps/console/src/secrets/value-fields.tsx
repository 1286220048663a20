import { useState } from 'react';
import type { SecretType } from '../api/types';
import { DateTime } from '../components/date-time';
import { Field } from '../components/form';
import { parseDotenv } from './dotenv';
import { certificateExpiry } from './pem';

/** What someone typed for a secret's value, per type. Never leaves the page except in a create or update request. */
export interface ValueDraft {
  fields: Record<string, string>;
  pairs: [string, string][];
}

export const emptyDraft = (type: SecretType): ValueDraft => ({
  fields:
    type === 'api_key' ? { header_name: 'X-API-Key' } : type === 'bearer_token' ? { header_name: 'Authorization' } : {},
  pairs: type === 'key_value' ? [['', '']] : [],
});

const f = (d: ValueDraft, k: string) => (d.fields[k] ?? '').trim();

/** Whether nothing was typed (an edit then keeps the current value). */
export function draftIsEmpty(type: SecretType, d: ValueDraft): boolean {
  switch (type) {
    case 'generic':
      return !f(d, 'value');
    case 'api_key':
      return !f(d, 'value');
    case 'bearer_token':
      return !f(d, 'header_value');
    case 'client_credentials':
      return !f(d, 'client_secret') && !f(d, 'client_id');
    case 'certificate':
      return !f(d, 'certificate');
    case 'key_value':
      return d.pairs.every(([k]) => !k.trim());
  }
}

/** The request fields for a draft: `secret_value` for generic secrets, `data` for typed ones (docs/api.md "Secrets"). */
export function draftPayload(
  type: SecretType,
  d: ValueDraft,
): { secret_value?: string; data?: Record<string, unknown> } {
  switch (type) {
    case 'generic':
      return { secret_value: d.fields.value ?? '' };
    case 'api_key':
      return { data: { header_name: f(d, 'header_name'), value: d.fields.value ?? '' } };
    case 'bearer_token':
      return { data: { header_name: f(d, 'header_name'), header_value: d.fields.header_value ?? '' } };
    case 'client_credentials': {
      const scopes = f(d, 'scopes')
        .split(/[\s,]+/)
        .filter(Boolean);
      return {
        data: {
          client_id: f(d, 'client_id'),
          client_secret: d.fields.client_secret ?? '',
          token_url: f(d, 'token_url'),
          ...(scopes.length ? { scopes } : {}),
        },
      };
    }
    case 'certificate':
      return {
        data: {
          certificate: f(d, 'certificate'),
          ...(f(d, 'private_key') ? { private_key: f(d, 'private_key') } : {}),
        },
      };
    case 'key_value':
      return { data: { pairs: Object.fromEntries(d.pairs.filter(([k]) => k.trim()).map(([k, v]) => [k.trim(), v])) } };
  }
}

/** The inputs of one secret type. */
export function ValueFields({
  type,
  draft,
  onChange,
  required,
}: {
  type: SecretType;
  draft: ValueDraft;
  onChange: (d: ValueDraft) => void;
  required: boolean;
}) {
  const set = (k: string, v: string) => onChange({ ...draft, fields: { ...draft.fields, [k]: v } });
  const text = (
    k: string,
    label: string,
    hint?: string,
    opts: { secret?: boolean; url?: boolean; req?: boolean } = {},
  ) => (
    <Field label={label} hint={hint}>
      {(p) => (
        <input
          {...p}
          type={opts.secret ? 'password' : opts.url ? 'url' : 'text'}
          autoComplete="off"
          spellCheck={false}
          required={required && opts.req !== false}
          value={draft.fields[k] ?? ''}
          onChange={(e) => set(k, e.target.value)}
        />
      )}
    </Field>
  );
  switch (type) {
    case 'generic':
      return text('value', 'Value', undefined, { secret: true });
    case 'api_key':
      return (
        <div className="row">
          {text('header_name', 'Header name', 'The HTTP header the key goes in.')}
          {text('value', 'API key', undefined, { secret: true })}
        </div>
      );
    case 'bearer_token':
      return (
        <div className="row">
          {text('header_name', 'Header name')}
          {text('header_value', 'Token', 'The value of the header.', { secret: true })}
        </div>
      );
    case 'client_credentials':
      return (
        <>
          <div className="row">
            {text('client_id', 'Client id')}
            {text('client_secret', 'Client secret', undefined, { secret: true })}
          </div>
          <div className="row">
            {text('token_url', 'Token URL', 'The provider’s OAuth token endpoint.', { url: true })}
            {text('scopes', 'Scopes (optional)', 'Separated by spaces.', { req: false })}
          </div>
        </>
      );
    case 'certificate':
      return <CertificateFields draft={draft} set={set} required={required} />;
    case 'key_value':
      return <KeyValueFields draft={draft} onChange={onChange} />;
  }
}

function CertificateFields({
  draft,
  set,
  required,
}: {
  draft: ValueDraft;
  set: (k: string, v: string) => void;
  required: boolean;
}) {
  const pem = draft.fields.certificate ?? '';
  const expiry = pem.trim() ? certificateExpiry(pem) : null;
  return (
    <>
      <Field
        label="Certificate (PEM)"
        hint={
          pem.trim() ? (
            expiry ? (
              <>
                Expires <DateTime value={expiry.toISOString()} />: the secret’s expiry is taken from the certificate.
              </>
            ) : (
              'This does not look like a PEM certificate (-----BEGIN CERTIFICATE----- …).'
            )
          ) : (
            'Paste the certificate; its expiry is shown here and becomes the secret’s expiry.'
          )
        }
      >
        {(p) => (
          <textarea
            {...p}
            className="mono"
            rows={6}
            spellCheck={false}
            required={required}
            value={pem}
            onChange={(e) => set('certificate', e.target.value)}
          />
        )}
      </Field>
      <Field label="Private key (PEM, optional)" hint="Must match the certificate.">
        {(p) => (
          <textarea
            {...p}
            className="mono"
            rows={4}
            spellCheck={false}
            autoComplete="off"
            value={draft.fields.private_key ?? ''}
            onChange={(e) => set('private_key', e.target.value)}
          />
        )}
      </Field>
    </>
  );
}

function KeyValueFields({ draft, onChange }: { draft: ValueDraft; onChange: (d: ValueDraft) => void }) {
  const [paste, setPaste] = useState('');
  const [skipped, setSkipped] = useState<number[]>([]);
  const setPair = (i: number, k: string, v: string) =>
    onChange({ ...draft, pairs: draft.pairs.map((p, j) => (j === i ? [k, v] : p)) });
  return (
    <fieldset>
      <legend>Pairs</legend>
      {draft.pairs.map(([k, v], i) => (
        <div className="row pair" key={i}>
          <Field label={`Key ${i + 1}`}>
            {(p) => (
              <input
                {...p}
                className="mono"
                spellCheck={false}
                value={k}
                onChange={(e) => setPair(i, e.target.value, v)}
              />
            )}
          </Field>
          <Field label={`Value ${i + 1}`}>
            {(p) => (
              <input
                {...p}
                type="password"
                autoComplete="off"
                spellCheck={false}
                value={v}
                onChange={(e) => setPair(i, k, e.target.value)}
              />
            )}
          </Field>
          <button
            type="button"
            className="button-secondary"
            aria-label={`Remove pair ${i + 1}`}
            onClick={() => onChange({ ...draft, pairs: draft.pairs.filter((_, j) => j !== i) })}
          >
            Remove
          </button>
        </div>
      ))}
      <button
        type="button"
        className="button-secondary"
        onClick={() => onChange({ ...draft, pairs: [...draft.pairs, ['', '']] })}
      >
        Add a pair
      </button>
      <Field
        label="Or paste a .env file"
        hint="KEY=value lines; # comments and blank lines are skipped. The pairs above are replaced."
      >
        {(p) => (
          <textarea
            {...p}
            className="mono"
            rows={4}
            spellCheck={false}
            autoComplete="off"
            value={paste}
            onChange={(e) => setPaste(e.target.value)}
          />
        )}
      </Field>
      <button
        type="button"
        className="button-secondary"
        disabled={!paste.trim()}
        onClick={() => {
          const parsed = parseDotenv(paste);
          setSkipped(parsed.skipped);
          if (parsed.pairs.length) onChange({ ...draft, pairs: parsed.pairs });
          setPaste('');
        }}
      >
        Use the pasted pairs
      </button>
      {skipped.length > 0 && (
        <p className="alert alert-error" role="alert">
          Line{skipped.length > 1 ? 's' : ''} {skipped.join(', ')} {skipped.length > 1 ? 'are' : 'is'} not KEY=value and{' '}
          {skipped.length > 1 ? 'were' : 'was'} left out.
        </p>
      )}
    </fieldset>
  );
}
