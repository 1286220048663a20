/** What notifications remembers of a vault secret to remind about it: metadata from vault events, never a value. */
export interface WatchedSecret {
  secret_id: string;
  tenant_id: string | null;
  owner_id: string | null;
  service_name: string;
  secret_key_name: string;
  environment: string;
  type: string;
  version: number;
  /** active, inactive, scheduled_for_deletion, or deleted (a tombstone, so a late event cannot bring it back). */
  status: string;
  expires_at: Date | null;
  deletion_scheduled_at: Date | null;
  rotation_interval_days: number | null;
  /** When the current version was first seen (rotation is due `rotation_interval_days` after it). */
  version_since: Date;
  last_event_at: Date;
}
