/** Reported by health checks and the gateway. */
export const LOCKWELL_VERSION = '0.1.0';
