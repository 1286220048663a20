import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { unwrap } from '@lockwell/sdk';
import type { CreateServiceBody, Service, ServicePreset } from '../api/types';
import { useApi } from '../session/session-context';
import { ErrorMessage } from '../components/error-message';
import { Field, Form } from '../components/form';

/** Where providers send the browser back; registered at the provider with the client. */
const callbackUrl = () => `${window.location.origin}/api/v1/services/oauth/callback`;

interface Draft {
  preset: string;
  name: string;
  slug: string;
  issuer: string;
  params: Record<string, string>;
  client_id: string;
  client_secret: string;
  redirect_uri: string;
  scopes: string;
}

function toBody(d: Draft, preset: ServicePreset | undefined): CreateServiceBody {
  const scopes = d.scopes.split(/[\s,]+/).filter(Boolean);
  const params = Object.fromEntries(Object.entries(d.params).filter(([, v]) => v.trim()));
  return {
    preset: d.preset,
    credentials: { client_id: d.client_id.trim(), client_secret: d.client_secret },
    redirect_uri: d.redirect_uri.trim(),
    ...(d.name.trim() ? { name: d.name.trim() } : {}),
    ...(d.slug.trim() ? { slug: d.slug.trim() } : {}),
    ...(needsIssuer(preset) ? { issuer: d.issuer.trim() } : {}),
    ...(Object.keys(params).length ? { preset_params: params } : {}),
    ...(scopes.length ? { scopes } : {}),
  };
}

/** The generic OpenID Connect preset discovers everything from the issuer the admin names. */
const needsIssuer = (p: ServicePreset | undefined) => !!p && p.protocol === 'oidc' && !p.issuer && !p.authorization_url;

/**
 * A new service from a preset: the preset brings endpoints, scopes and quirks; the admin adds what the provider
 * issued (client id and secret) and, where the preset has them, its parameters (Entra's tenant, an issuer).
 */
export function CreateService({ onCreated }: { onCreated: (s: Service) => void }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const presets = useQuery({
    queryKey: ['service-presets'],
    queryFn: () => unwrap(api.GET('/api/v1/admin/services/presets')),
    staleTime: Infinity,
  });
  const empty = (preset: string): Draft => ({
    preset,
    name: '',
    slug: '',
    issuer: '',
    params: {},
    client_id: '',
    client_secret: '',
    redirect_uri: callbackUrl(),
    scopes: '',
  });
  const [draft, setDraft] = useState<Draft>(() => empty(''));
  const items = presets.data?.items ?? [];
  const presetId = draft.preset || items[0]?.id || '';
  const preset = items.find((p) => p.id === presetId);
  const create = useMutation({
    mutationFn: (body: CreateServiceBody) => unwrap(api.POST('/api/v1/admin/services', { body })),
    onSuccess: async (s) => {
      setDraft(empty(presetId));
      onCreated(s);
      await queryClient.invalidateQueries({ queryKey: ['admin-services'] });
    },
  });
  const set = (k: Exclude<keyof Draft, 'params'>) => (e: { target: { value: string } }) =>
    setDraft({ ...draft, [k]: e.target.value });
  return (
    <section className="card" aria-labelledby="new-service-heading">
      <h3 id="new-service-heading">New service from a preset</h3>
      <ErrorMessage error={presets.error ?? create.error} />
      <Form label="New service" onSubmit={() => create.mutate(toBody({ ...draft, preset: presetId }, preset))}>
        <div className="row">
          <Field label="Preset" hint={preset?.description}>
            {(p) => (
              <select {...p} value={presetId} onChange={(e) => setDraft({ ...empty(e.target.value) })}>
                {items.map((x) => (
                  <option key={x.id} value={x.id}>
                    {x.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Name (optional)" hint="the preset's name when empty">
            {(p) => <input {...p} value={draft.name} onChange={set('name')} maxLength={100} />}
          </Field>
          <Field label="Slug (optional)" hint="the preset's id when empty; unique">
            {(p) => <input {...p} value={draft.slug} onChange={set('slug')} spellCheck={false} />}
          </Field>
        </div>
        {needsIssuer(preset) && (
          <Field label="Issuer" hint="the provider's issuer URL; its endpoints are discovered from it">
            {(p) => <input {...p} type="url" required value={draft.issuer} onChange={set('issuer')} />}
          </Field>
        )}
        {preset?.params.map((param) => (
          <Field key={param.name} label={`Parameter ${param.name}`} hint={param.description}>
            {(p) => (
              <input
                {...p}
                value={draft.params[param.name] ?? param.default ?? ''}
                onChange={(e) => setDraft({ ...draft, params: { ...draft.params, [param.name]: e.target.value } })}
              />
            )}
          </Field>
        ))}
        <div className="row">
          <Field label="Client id">
            {(p) => <input {...p} required value={draft.client_id} onChange={set('client_id')} autoComplete="off" />}
          </Field>
          <Field label="Client secret" hint="stored sealed in the vault; never shown again">
            {(p) => (
              <input
                {...p}
                type="password"
                required
                value={draft.client_secret}
                onChange={set('client_secret')}
                autoComplete="new-password"
              />
            )}
          </Field>
        </div>
        <Field label="Redirect URI" hint="register exactly this URL at the provider">
          {(p) => <input {...p} type="url" required value={draft.redirect_uri} onChange={set('redirect_uri')} />}
        </Field>
        <Field
          label="Scopes (optional)"
          hint={`separated by spaces; the preset's when empty${preset?.scopes.length ? `: ${preset.scopes.join(' ')}` : ''}`}
        >
          {(p) => <input {...p} value={draft.scopes} onChange={set('scopes')} spellCheck={false} />}
        </Field>
        {preset?.documentation_url && (
          <p className="small">
            <a href={preset.documentation_url} target="_blank" rel="noreferrer">
              How to register an app at {preset.name}
            </a>
          </p>
        )}
        <button type="submit" disabled={create.isPending || !preset}>
          Create service
        </button>
      </Form>
    </section>
  );
}
