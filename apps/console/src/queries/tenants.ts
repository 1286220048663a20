import { useQuery } from '@tanstack/react-query';
import { unwrap } from '@lockwell/sdk';
import { useApi } from '../session/session-context';

/** The tenants the caller belongs to (`scope=mine`: an installation admin's full list is on the Tenants screen). */
export function useMyTenants() {
  const api = useApi();
  return useQuery({
    queryKey: ['tenants', 'mine'],
    queryFn: () => unwrap(api.GET('/api/v1/tenants', { params: { query: { scope: 'mine', limit: 200 } } })),
  });
}

export function useTenant(tenantId: string) {
  const api = useApi();
  return useQuery({
    queryKey: ['tenant', tenantId],
    enabled: !!tenantId,
    queryFn: () => unwrap(api.GET('/api/v1/tenants/{tenant_id}', { params: { path: { tenant_id: tenantId } } })),
  });
}

export const membersKey = (tenantId: string) => ['members', tenantId];

/** A tenant's members (up to 200, the members screen's page), with their emails. */
export function useMembers(tenantId: string) {
  const api = useApi();
  return useQuery({
    queryKey: membersKey(tenantId),
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/tenants/{tenant_id}/members', {
          params: { path: { tenant_id: tenantId }, query: { limit: 200 } },
        }),
      ),
  });
}
