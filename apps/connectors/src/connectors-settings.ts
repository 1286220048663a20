import type { Config } from './config.js';

/** The connectors service's own settings, injected where policies and jobs need them. */
export const CONNECTORS_SETTINGS = Symbol('CONNECTORS_SETTINGS');

export interface ConnectorsSettings {
  /** Endpoints may be http:// on loopback (local runs and tests); production demands https (OC-7). */
  allowLoopbackHttp: boolean;
  /** Redirect URI of services that name none; null in production without LOCKWELL_PUBLIC_URL. */
  defaultRedirectUri: string | null;
  returnUrlPrefixes: string[];
  allowUnboundAuthorization: boolean;
  refreshIntervalMs: number;
  httpTimeoutMs: number;
  maxResponseBytes: number;
}

export const CALLBACK_PATH = '/api/v1/services/oauth/callback';

export function connectorsSettingsFrom(config: Config): ConnectorsSettings {
  const local = config.NODE_ENV !== 'production';
  const publicUrl = config.LOCKWELL_PUBLIC_URL ?? (local ? 'http://127.0.0.1:8080' : null);
  return {
    allowLoopbackHttp: local,
    defaultRedirectUri: publicUrl ? `${publicUrl.replace(/\/+$/, '')}${CALLBACK_PATH}` : null,
    returnUrlPrefixes: config.LOCKWELL_CONNECTORS_RETURN_URLS,
    allowUnboundAuthorization: config.LOCKWELL_CONNECTORS_ALLOW_UNBOUND_AUTHORIZATION ?? local,
    refreshIntervalMs: config.LOCKWELL_CONNECTORS_REFRESH_INTERVAL_MS,
    httpTimeoutMs: config.LOCKWELL_CONNECTORS_HTTP_TIMEOUT_MS,
    maxResponseBytes: config.LOCKWELL_CONNECTORS_MAX_RESPONSE_BYTES,
  };
}
