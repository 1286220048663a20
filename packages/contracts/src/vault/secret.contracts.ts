import { z } from 'zod';
import { PageQuery, Uuid } from '../common.js';
import { defineRpc } from '../rpc.js';
import {
  CreateUserSecretBody,
  DeleteMode,
  MasterKeyRotateBody,
  MasterKeyRotateResult,
  SecretListFilters,
  SecretMetadata,
  SecretPage,
  SecretScope,
  SecretUsagePage,
  SecretVersionPage,
  SecretWithValue,
  UpdateSecretBody,
  VaultMasterKeyStatusResult,
} from './secret.schemas.js';

// One RPC per operation for both scopes: `scope` says which space the id or list lives in, so a user
// secret id can never be read through the tenant routes and the other way round. Authorisation happens in
// the vault from ctx.principal, never from anything in these payloads.

/** `if_match` carries the HTTP If-Match value (a version number); a mismatch is PRECONDITION_FAILED. */
const IfMatch = z.string().max(100).optional();
const ById = { scope: SecretScope, secret_id: Uuid };

export const VaultSecretCreate = defineRpc(
  'vault.secret.create',
  CreateUserSecretBody.extend({ scope: SecretScope, tenant_id: Uuid.optional() }),
  SecretWithValue,
);
export const VaultSecretList = defineRpc(
  'vault.secret.list',
  PageQuery.extend(SecretListFilters.shape).extend({ scope: SecretScope, tenant_id: Uuid.optional() }),
  SecretPage,
);
/** Metadata of one secret without its value: not a read (no access record, no reactivation), for screens that show a secret before anyone reveals it. */
export const VaultSecretMetadataGet = defineRpc('vault.secret.metadata', z.object(ById), SecretMetadata);
export const VaultSecretGet = defineRpc(
  'vault.secret.get',
  z.object({ ...ById, version: z.number().int().min(1).optional() }),
  SecretWithValue,
);
export const VaultSecretUpdate = defineRpc(
  'vault.secret.update',
  UpdateSecretBody.extend({ ...ById, if_match: IfMatch }),
  SecretWithValue,
);
/** mode `now` answers `{deleted: true}` (HTTP 204); `schedule` answers the secret's metadata. */
export const VaultSecretDelete = defineRpc(
  'vault.secret.delete',
  z.object({ ...ById, mode: DeleteMode, if_match: IfMatch }),
  z.object({ deleted: z.boolean(), secret: SecretMetadata.nullable() }),
);
export const VaultSecretCancelDeletion = defineRpc('vault.secret.cancel-deletion', z.object(ById), SecretMetadata);
export const VaultVersionList = defineRpc(
  'vault.version.list',
  z.object({ ...ById, ...PageQuery.shape }),
  SecretVersionPage,
);
export const VaultVersionRollback = defineRpc(
  'vault.version.rollback',
  z.object({ ...ById, version: z.number().int().min(1), if_match: IfMatch }),
  SecretWithValue,
);
export const VaultUsageList = defineRpc('vault.usage.list', z.object({ ...ById, ...PageQuery.shape }), SecretUsagePage);

/** Re-wraps every data key not yet under the active master key (KEY-1, KEY-2); global permission keys:rotate. */
export const VaultMasterKeyRotate = defineRpc('vault.master-key.rotate', MasterKeyRotateBody, MasterKeyRotateResult);
/** Where a rotation stands: the key ring's ids and how many data keys each master key still wraps; keys:rotate. */
export const VaultMasterKeyStatus = defineRpc(
  'vault.master-key.status',
  z.object({}).strict(),
  VaultMasterKeyStatusResult,
);
