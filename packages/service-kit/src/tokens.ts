/** DI tokens the service kit provides to every app. */
export const SERVICE_NAME = Symbol('SERVICE_NAME');
export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');
export const NATS_BUS = Symbol('NATS_BUS');
export const MASTER_KEY_RING = Symbol('MASTER_KEY_RING');
export const LOGGER = Symbol('LOGGER');
/** This process's bus identity: credential, signer, everyone's public keys (see nats/bus-credentials.ts). */
export const BUS_CREDENTIALS = Symbol('BUS_CREDENTIALS');
/** Optional: a service's HealthFigures, whose gauges its health check reports (see health/health.handler.ts). */
export const HEALTH_FIGURES = Symbol('HEALTH_FIGURES');
