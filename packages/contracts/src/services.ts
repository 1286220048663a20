/**
 * THE list of Lockwell's backend services (docs/architecture.md "The one list of services"). Everything that
 * must know every service derives from it: the subject patterns of requests and events, the JetStream audit
 * stream, the bus identities and their nats-server permissions, the health checks behind /readyz, the local
 * runner (infra/local), the e2e test system and backups. docker-compose.yml and the e2e workspace's
 * dependencies (which make turbo build every service before the e2e tests) are checked against it by
 * e2e/service-registry.e2e.spec.ts. `npm run new:service -- NAME` adds a name here.
 */
export const SERVICE_NAMES = ['identity', 'tenants', 'vault', 'connectors', 'notifications', 'audit'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export const isServiceName = (s: string): s is ServiceName => (SERVICE_NAMES as readonly string[]).includes(s);

/** `(identity|tenants|...)`: one capture group of the service names, for subject patterns. */
export const serviceNamesPattern = (): string => `(${SERVICE_NAMES.join('|')})`;
