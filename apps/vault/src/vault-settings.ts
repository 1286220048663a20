import type { Config } from './config.js';

/** The vault's own settings, injected where lifecycle and key policies need them. */
export const VAULT_SETTINGS = Symbol('VAULT_SETTINGS');

export interface VaultSettings {
  inactiveAfterDays: number;
  deletionDelayDays: number;
  expiryWarningDays: number;
  lifecycleIntervalMs: number;
  dekCacheTtlMs: number;
  dekCacheMax: number;
  dekMaxEncryptions: number;
  dekMaxAgeDays: number;
  maxSecretsPerTenant: number;
  maxSecretsPerUser: number;
}

export function vaultSettingsFrom(config: Config): VaultSettings {
  return {
    inactiveAfterDays: config.LOCKWELL_INACTIVE_AFTER_DAYS,
    deletionDelayDays: config.LOCKWELL_DELETION_DELAY_DAYS,
    expiryWarningDays: config.LOCKWELL_EXPIRY_WARNING_DAYS,
    lifecycleIntervalMs: config.LOCKWELL_LIFECYCLE_INTERVAL_MS,
    dekCacheTtlMs: config.LOCKWELL_DEK_CACHE_TTL_MS,
    dekCacheMax: config.LOCKWELL_DEK_CACHE_MAX,
    dekMaxEncryptions: config.LOCKWELL_DEK_MAX_ENCRYPTIONS,
    dekMaxAgeDays: config.LOCKWELL_DEK_MAX_AGE_DAYS,
    maxSecretsPerTenant: config.LOCKWELL_MAX_SECRETS_PER_TENANT,
    maxSecretsPerUser: config.LOCKWELL_MAX_SECRETS_PER_USER,
  };
}
