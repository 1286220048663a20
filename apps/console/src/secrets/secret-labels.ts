import type { SecretStatus, SecretType } from '../api/types';

export const TYPE_LABELS: Record<SecretType, string> = {
  generic: 'Generic value',
  api_key: 'API key',
  bearer_token: 'Bearer token',
  client_credentials: 'OAuth client credentials',
  certificate: 'Certificate',
  key_value: 'Key/value set',
};
export const SECRET_TYPES = Object.keys(TYPE_LABELS) as SecretType[];

export const STATUS_LABELS: Record<SecretStatus, string> = {
  active: 'active',
  inactive: 'inactive (unused for a while)',
  scheduled_for_deletion: 'scheduled for deletion',
};

export const ENVIRONMENTS = ['development', 'staging', 'production'];
