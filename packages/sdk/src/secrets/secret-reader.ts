// Reading secrets by what applications know them by: tenant, environment, service and key name.
import type { Client } from 'openapi-fetch';
import { ClientErrorCode, LockwellError } from '../errors.js';
import type { paths } from '../generated/openapi.js';
import { buildEnv, deriveEnvName, type EnvBuild, type EnvCandidate } from './env-names.js';
import type { ValueCache } from './value-cache.js';
import { unwrap as apiCall } from '../http/unwrap.js';

/** A secret with its value, as GET /tenant-secrets/{id} and /user-secrets/{id} return it. */
export type Secret =
  paths['/api/v1/tenant-secrets/{secret_id}']['get']['responses'][200]['content']['application/json'];
/** A secret's metadata, as lists return it (never a value). */
export type SecretMetadata =
  paths['/api/v1/tenant-secrets']['get']['responses'][200]['content']['application/json']['items'][number];

/**
 * A secret by id (`personal: true` for one of the caller's own), or by name: service and key, in a tenant (id or
 * slug; omitted = the caller's personal secrets), in an environment (omitted = whichever one has it, an error when
 * several do). `version` reads an older version.
 */
export type SecretRef =
  | { id: string; personal?: boolean; version?: number }
  | { service: string; key: string; tenant?: string; environment?: string; version?: number };

export interface SecretFilter {
  /** Tenant id or slug; omitted = the caller's personal secrets. */
  tenant?: string;
  environment?: string;
  service?: string;
}

export interface EnvQuery {
  tenant?: string;
  environment: string;
  /** One service only: its secrets are named after their key alone. */
  service?: string;
  /** 'throw' (default): ENV_NAME_COLLISION; 'omit': leave the colliding names out. */
  onCollision?: 'throw' | 'omit';
}

/** Two or more secrets derive the same variable name; `build` holds everything else. */
export class EnvNameCollisionError extends LockwellError {
  override readonly name = 'EnvNameCollisionError';
  constructor(readonly build: EnvBuild) {
    super(
      ClientErrorCode.ENV_NAME_COLLISION,
      `secrets collide on ${build.collisions.map((c) => `${c.name} (${c.sources.join(', ')})`).join('; ')}`,
    );
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const READ_CONCURRENCY = 8;

export class SecretReader {
  private readonly tenantIds = new Map<string, string>();

  constructor(
    private readonly api: Client<paths>,
    private readonly cache?: ValueCache,
  ) {}

  getSecret(ref: SecretRef): Promise<Secret> {
    const load = () => this.fetchSecret(ref);
    return this.cache ? this.cache.get(`secret:${JSON.stringify(ref)}`, load) : load();
  }

  getSecretsAsEnv(query: EnvQuery): Promise<Record<string, string>> {
    const key = `env:${JSON.stringify([query.tenant ?? null, query.environment, query.service ?? null])}`;
    const load = () => this.loadEnv(query);
    return (this.cache ? this.cache.get(key, load) : load()).then((build) => {
      if (build.collisions.length && query.onCollision !== 'omit') throw new EnvNameCollisionError(build);
      return build.env;
    });
  }

  clearCache(): void {
    this.cache?.clear();
  }

  async resolveTenantId(tenant: string): Promise<string> {
    if (UUID.test(tenant)) return tenant;
    const known = this.tenantIds.get(tenant);
    if (known) return known;
    const page = await apiCall(this.api.GET('/api/v1/tenants', { params: { query: { q: tenant, limit: 200 } } }));
    const match = page.items.find((t) => t.slug === tenant) ?? page.items.find((t) => t.name === tenant);
    if (!match) throw new LockwellError('TENANT_NOT_FOUND', `no tenant "${tenant}" among yours`);
    this.tenantIds.set(tenant, match.id);
    return match.id;
  }

  /** Every secret's metadata matching the filter, all pages. */
  async listSecrets(filter: SecretFilter): Promise<SecretMetadata[]> {
    const tenantId = filter.tenant === undefined ? undefined : await this.resolveTenantId(filter.tenant);
    const items: SecretMetadata[] = [];
    let cursor: string | undefined;
    do {
      const common = { limit: 200, cursor, environment: filter.environment, service_name: filter.service };
      const page = tenantId
        ? await apiCall(
            this.api.GET('/api/v1/tenant-secrets', { params: { query: { ...common, tenant_id: tenantId } } }),
          )
        : await apiCall(this.api.GET('/api/v1/user-secrets', { params: { query: common } }));
      items.push(...page.items);
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    return items;
  }

  /** The metadata of the secret a named ref points to. */
  async findSecret(ref: {
    service: string;
    key: string;
    tenant?: string;
    environment?: string;
  }): Promise<SecretMetadata> {
    const matches = (await this.listSecrets(ref)).filter(
      (s) => s.service_name === ref.service && s.secret_key_name === ref.key,
    );
    const where = `${ref.tenant === undefined ? 'your personal secrets' : `tenant ${ref.tenant}`}${ref.environment ? `, environment ${ref.environment}` : ''}`;
    if (matches.length === 0)
      throw new LockwellError('SECRET_NOT_FOUND', `no secret ${ref.service}/${ref.key} in ${where}`);
    if (matches.length > 1) {
      throw new LockwellError(
        'AMBIGUOUS_SECRET',
        `${ref.service}/${ref.key} exists in several environments of ${where} (${matches.map((m) => m.environment).join(', ')}): name one`,
      );
    }
    return matches[0];
  }

  private async fetchSecret(ref: SecretRef): Promise<Secret> {
    const [id, personal] =
      'id' in ref ? [ref.id, ref.personal === true] : [(await this.findSecret(ref)).id, ref.tenant === undefined];
    const params = { path: { secret_id: id }, query: { version: ref.version } };
    return personal
      ? apiCall(this.api.GET('/api/v1/user-secrets/{secret_id}', { params }))
      : apiCall(this.api.GET('/api/v1/tenant-secrets/{secret_id}', { params }));
  }

  private async loadEnv(query: EnvQuery): Promise<EnvBuild> {
    const listed = (await this.listSecrets(query)).filter((s) => s.status !== 'scheduled_for_deletion');
    const personal = query.tenant === undefined;
    const secrets = await mapLimited(listed, READ_CONCURRENCY, (s) => this.fetchSecret({ id: s.id, personal }));
    const entries: EnvCandidate[] = [];
    for (const secret of secrets) {
      const source = `${secret.service_name}/${secret.secret_key_name}`;
      const pairs =
        secret.type === 'key_value'
          ? (secret.data as { pairs?: Record<string, string> } | undefined)?.pairs
          : undefined;
      if (pairs) {
        for (const [pair, value] of Object.entries(pairs))
          entries.push({ name: deriveEnvName(pair), value, source: `${source}#${pair}` });
        continue;
      }
      const name =
        query.service === undefined
          ? deriveEnvName(secret.service_name, secret.secret_key_name)
          : deriveEnvName(secret.secret_key_name);
      entries.push({ name, value: secret.secret_value ?? '', source });
    }
    return buildEnv(entries);
  }
}

async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
