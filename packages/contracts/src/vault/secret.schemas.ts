import { z } from 'zod';
import { KeysPerMasterKey, PageQuery, pageOf, Timestamp, Uuid } from '../common.js';

// Secrets of both scopes share one shape (docs/api.md "Secrets"): `/user-secrets` are a user's personal secrets,
// `/tenant-secrets` the shared secrets of a tenant.

export const SecretScope = z.enum(['user', 'tenant']);
export type SecretScope = z.infer<typeof SecretScope>;

export const SECRET_TYPES = [
  'generic',
  'api_key',
  'bearer_token',
  'client_credentials',
  'certificate',
  'key_value',
] as const;
export const SecretType = z.enum(SECRET_TYPES);
export type SecretType = z.infer<typeof SecretType>;

export const SecretStatus = z.enum(['active', 'inactive', 'scheduled_for_deletion']);
export type SecretStatus = z.infer<typeof SecretStatus>;

/** development / staging / production or a custom name (the same alphabet as `secrets:read@<env>` grants). */
export const EnvironmentName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'lower-case letters, digits, "-" and "_", at most 63');
/** Secrets created without an environment land in production: the most restricted one for limited roles. */
export const DEFAULT_ENVIRONMENT = 'production';

const Name = z.string().trim().min(1).max(200);
const Text = (max: number) => z.string().min(1).max(max);
export const SecretValue = z.string().min(1).max(65_536);
export const Tags = z.array(z.string().trim().min(1).max(64)).max(32);

/** Typed payloads (`data`), validated per type on write. */
export const ApiKeyData = z.object({ header_name: Text(256), value: SecretValue }).strict();
export const BearerTokenData = z.object({ header_name: Text(256), header_value: SecretValue }).strict();
export const ClientCredentialsData = z
  .object({
    client_id: Text(1024),
    client_secret: SecretValue,
    token_url: z.url().max(2048),
    scopes: z.array(Text(256)).max(100).optional(),
  })
  .strict();
export const CertificateData = z.object({ certificate: Text(65_536), private_key: Text(65_536).optional() }).strict();
const EnvKey = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_.-]{0,255}$/, 'keys are letters, digits, "_", "." and "-", not starting with a digit');
export const KeyValuePairs = z
  .record(EnvKey, z.string().max(65_536))
  .refine((p) => Object.keys(p).length > 0 && Object.keys(p).length <= 500, 'between 1 and 500 pairs');
export const KeyValueData = z.union([
  z.object({ pairs: KeyValuePairs }).strict(),
  z.object({ dotenv: Text(262_144) }).strict(),
]);

export const SECRET_DATA_SCHEMAS = {
  api_key: ApiKeyData,
  bearer_token: BearerTokenData,
  client_credentials: ClientCredentialsData,
  certificate: CertificateData,
  key_value: KeyValueData,
} as const;

/** Metadata of a secret: what lists return. Never secret material. */
export const SecretMetadata = z.object({
  id: Uuid,
  scope: SecretScope,
  tenant_id: Uuid.nullable(),
  owner_id: Uuid.nullable(),
  service_name: z.string(),
  secret_key_name: z.string(),
  type: SecretType,
  environment: z.string(),
  description: z.string().nullable(),
  tags: z.array(z.string()),
  version: z.number().int(),
  status: SecretStatus,
  expires_at: Timestamp.nullable(),
  deletion_scheduled_at: Timestamp.nullable(),
  last_accessed_at: Timestamp.nullable(),
  rotation_interval_days: z.number().int().nullable(),
  created_at: Timestamp,
  updated_at: Timestamp,
  created_by: Uuid,
});
export type SecretMetadata = z.infer<typeof SecretMetadata>;

/**
 * A single secret with its value: `secret_value` is the primary value (for typed secrets too) and `data` the
 * typed payload. `secret_value` is absent only from write responses to callers who may write but not read.
 */
export const SecretWithValue = SecretMetadata.extend({
  secret_value: z.string().optional(),
  data: z.record(z.string(), z.unknown()).optional(),
});
export type SecretWithValue = z.infer<typeof SecretWithValue>;

const WritableFields = {
  service_name: Name,
  secret_key_name: Name,
  environment: EnvironmentName.optional(),
  description: z.string().max(2000).nullable().optional(),
  tags: Tags.optional(),
  expires_at: Timestamp.nullable().optional(),
  rotation_interval_days: z.number().int().min(1).max(3650).nullable().optional(),
};

/** HTTP body of POST /user-secrets (unknown fields are a 400). */
export const CreateUserSecretBody = z
  .object({
    ...WritableFields,
    type: SecretType.optional(),
    secret_value: SecretValue.optional(),
    data: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
/** HTTP body of POST /tenant-secrets: the same plus the tenant. */
export const CreateTenantSecretBody = CreateUserSecretBody.extend({ tenant_id: Uuid }).strict();

/** HTTP body of PUT: any subset; a new `secret_value` or `data` makes a new version. */
export const UpdateSecretBody = z
  .object({
    service_name: Name.optional(),
    secret_key_name: Name.optional(),
    environment: EnvironmentName.optional(),
    description: z.string().max(2000).nullable().optional(),
    tags: Tags.optional(),
    expires_at: Timestamp.nullable().optional(),
    rotation_interval_days: z.number().int().min(1).max(3650).nullable().optional(),
    secret_value: SecretValue.optional(),
    data: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

export const RollbackBody = z.object({ version: z.number().int().min(1) }).strict();

/** List filters of docs/api.md plus paging. */
export const SecretListFilters = z.object({
  service_name: z.string().min(1).max(200).optional(),
  type: SecretType.optional(),
  environment: EnvironmentName.optional(),
  status: SecretStatus.optional(),
  expiring_before: Timestamp.optional(),
  q: z.string().min(1).max(200).optional(),
});
export const UserSecretListQuery = PageQuery.extend(SecretListFilters.shape).strict();
export const TenantSecretListQuery = UserSecretListQuery.extend({ tenant_id: Uuid }).strict();

export const SecretIdParams = z.object({ secret_id: Uuid }).strict();
export const SecretGetQuery = z.object({ version: z.coerce.number().int().min(1).optional() }).strict();
export const DeleteMode = z.enum(['now', 'schedule']);
export const SecretDeleteQuery = z.object({ mode: DeleteMode.default('now') }).strict();

export const SecretPage = pageOf(SecretMetadata);

export const SecretVersionInfo = z.object({
  version: z.number().int(),
  current: z.boolean(),
  created_at: Timestamp,
  created_by: Uuid,
});
export const SecretVersionPage = pageOf(SecretVersionInfo);
export const VersionListQuery = PageQuery.strict();

export const SecretUsage = z.object({
  consumer_type: z.enum(['user', 'api_token']),
  consumer_id: Uuid,
  first_accessed_at: Timestamp,
  last_accessed_at: Timestamp,
  access_count: z.number().int(),
});
export const SecretUsagePage = pageOf(SecretUsage);

export const MasterKeyRotateBody = z.object({ batch_size: z.number().int().min(1).max(10_000).optional() }).strict();
/** The vault's part of the master-key status: its data keys. */
export const VaultMasterKeyStatusResult = z.object({
  active_master_key_id: z.number().int(),
  /** Every key id in LOCKWELL_MASTER_KEY, ascending; the highest is active. */
  key_ids: z.array(z.number().int()),
  /** Data keys by the master key that wraps them. */
  data_keys: KeysPerMasterKey,
  /** Data keys not yet under the active key. */
  remaining: z.number().int(),
});
export type VaultMasterKeyStatusResult = z.infer<typeof VaultMasterKeyStatusResult>;
/** GET /admin/master-key: every key sealed under the master key, the vault's data keys and identity's signing keys. */
export const MasterKeyStatus = VaultMasterKeyStatusResult.extend({
  /** Identity's JWT signing keys by the master key that seals them. */
  signing_keys: KeysPerMasterKey,
  /** Data keys and signing keys not yet under the active key: 0 means older keys may leave the ring. */
  remaining: z.number().int(),
});
export type MasterKeyStatus = z.infer<typeof MasterKeyStatus>;
export const MasterKeyRotateResult = z.object({
  active_master_key_id: z.number().int(),
  rewrapped: z.number().int(),
  remaining: z.number().int(),
});
