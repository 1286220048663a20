import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router';
import { Page } from '../layout/page';
import type { SecretType } from '../api/types';
import { ErrorMessage } from '../components/error-message';
import { Field, Form } from '../components/form';
import { useTenant } from '../queries/tenants';
import { emptyMetadata, metadataBody, MetadataFields } from './metadata-fields';
import { secretPath, secretsPath } from './secret-api';
import { SecretTypeOptions } from './type-options';
import { useSecretScope } from './use-secret-scope';
import { draftPayload, emptyDraft, ValueFields } from './value-fields';

/** Create a secret of any type, personal or in a tenant. */
export function SecretNewPage() {
  const { scope, tenantId, secrets } = useSecretScope();
  const tenant = useTenant(tenantId ?? '');
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [type, setType] = useState<SecretType>('generic');
  const [metadata, setMetadata] = useState(emptyMetadata);
  const [draft, setDraft] = useState(() => emptyDraft('generic'));
  const create = useMutation({
    mutationFn: () => {
      const { expires_at, ...rest } = metadataBody(metadata);
      return secrets.create({
        ...rest,
        ...(type === 'certificate' || !expires_at ? {} : { expires_at }),
        type,
        ...draftPayload(type, draft),
      });
    },
    onSuccess: async (secret) => {
      setDraft(emptyDraft(type));
      await queryClient.invalidateQueries({ queryKey: ['secrets'] });
      navigate(secretPath(scope, secret.id, tenantId), { state: { created: true } });
    },
  });
  const where = scope === 'user' ? 'personal' : (tenant.data?.name ?? 'tenant');
  return (
    <Page title={`New ${scope === 'user' ? 'personal' : 'tenant'} secret`} heading={`New secret in ${where}`}>
      <p>
        <Link to={secretsPath(scope, tenantId)}>Back to the secrets</Link>
      </p>
      <ErrorMessage error={create.error} />
      <Form label="New secret" onSubmit={() => create.mutate()} className="card">
        <Field
          label="Type"
          hint="Typed secrets keep their parts (header, client id, certificate) so programs can use them directly."
        >
          {(p) => (
            <select
              {...p}
              value={type}
              onChange={(e) => {
                const t = e.target.value as SecretType;
                setType(t);
                setDraft(emptyDraft(t));
              }}
            >
              <SecretTypeOptions />
            </select>
          )}
        </Field>
        <MetadataFields draft={metadata} onChange={setMetadata} expiryFromCertificate={type === 'certificate'} />
        <h2 className="h3">Value</h2>
        <ValueFields type={type} draft={draft} onChange={setDraft} required />
        <button type="submit" disabled={create.isPending}>
          Create secret
        </button>
      </Form>
    </Page>
  );
}
