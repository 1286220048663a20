import { z } from 'zod';
import { Uuid } from './common.js';

/** One tenant the principal belongs to, with the permissions its role grants there (already resolved). */
export const PrincipalMembership = z.object({
  tenantId: Uuid,
  role: z.string(),
  permissions: z.array(z.string()),
});
export type PrincipalMembership = z.infer<typeof PrincipalMembership>;

/**
 * Who is calling, as resolved by the gateway from a JWT or an API token. For an API token the memberships and
 * global permissions are already the intersection of the token's grant and its creator's current rights.
 */
export const Principal = z.object({
  kind: z.enum(['user', 'api_token']),
  userId: Uuid,
  tokenId: Uuid.nullable(),
  sessionId: Uuid.nullable(),
  globalRoles: z.array(z.string()),
  globalPermissions: z.array(z.string()),
  memberships: z.array(PrincipalMembership),
});
export type Principal = z.infer<typeof Principal>;

/** Travels with every request/reply message: who, on behalf of which HTTP request, from where. */
export const CallContext = z.object({
  requestId: z.string().max(128),
  principal: Principal.nullable(),
  ip: z.string().max(64).nullable(),
  userAgent: z.string().max(512).nullable(),
});
export type CallContext = z.infer<typeof CallContext>;

/** A call made by a service on its own behalf (jobs, sagas): no end-user principal. */
export const systemContext = (requestId: string): CallContext => ({
  requestId,
  principal: null,
  ip: null,
  userAgent: null,
});
