/**
 * Routes that make the connectors service talk to a provider (discovery, code exchange with the ID token's
 * keys, refresh, revocation) wait longer than an ordinary call: a provider request alone may take
 * LOCKWELL_CONNECTORS_HTTP_TIMEOUT_MS (5 s by default), and a refresh the provider answered is stored even
 * when the caller stopped waiting.
 */
export const PROVIDER_ROUTE_TIMEOUT_MS = 20_000;
