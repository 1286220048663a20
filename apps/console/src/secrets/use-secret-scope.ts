import { useParams } from 'react-router';
import { useApi } from '../session/session-context';
import { secretApi, type SecretScope } from './secret-api';

/** The scope of the secret screens from the route: /tenants/:tenantId/... is a tenant's, /secrets/... personal. */
export function useSecretScope() {
  const { tenantId } = useParams();
  const api = useApi();
  const scope: SecretScope = tenantId ? 'tenant' : 'user';
  return { scope, tenantId, secrets: secretApi(api, scope, tenantId) };
}
