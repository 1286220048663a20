// How commands name one secret: SERVICE/KEY (split at the first "/") or its id; --tenant picks the tenant's
// secrets (id or slug), without it the caller's personal ones; --env narrows a name to one environment.
import type { LockwellClient, SecretMetadata } from '@lockwell/sdk';
import { UsageError } from '../cli-error.js';
import { str, type OptionValues } from './command.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ParsedRef {
  id?: string;
  service?: string;
  key?: string;
  tenant?: string;
  environment?: string;
  label: string;
}

export function parseRef(positionals: string[], values: OptionValues): ParsedRef {
  if (positionals.length !== 1)
    throw new UsageError(
      positionals.length
        ? `one secret at a time, got: ${positionals.join(' ')}`
        : 'which secret? give SERVICE/KEY or an id',
    );
  const [ref] = positionals;
  const scope = { tenant: str(values, 'tenant'), environment: str(values, 'env') };
  if (UUID.test(ref)) return { id: ref, ...scope, label: ref };
  const slash = ref.indexOf('/');
  if (slash <= 0 || slash === ref.length - 1) throw new UsageError(`"${ref}" is neither SERVICE/KEY nor a secret id`);
  return { service: ref.slice(0, slash), key: ref.slice(slash + 1), ...scope, label: ref };
}

/** The secret's id and scope; by name it is looked up (SECRET_NOT_FOUND / AMBIGUOUS_SECRET otherwise). */
export async function locate(
  client: LockwellClient,
  ref: ParsedRef,
): Promise<{ id: string; personal: boolean; metadata?: SecretMetadata }> {
  const personal = ref.tenant === undefined;
  if (ref.id) return { id: ref.id, personal };
  const metadata = await client.findSecret({
    service: ref.service!,
    key: ref.key!,
    tenant: ref.tenant,
    environment: ref.environment,
  });
  return { id: metadata.id, personal, metadata };
}

/** A secret as printed by --json after a write: metadata only, whatever the API echoed. */
export function withoutValue<T extends { secret_value?: unknown; data?: unknown }>(
  secret: T,
): Omit<T, 'secret_value' | 'data'> {
  const { secret_value: _value, data: _data, ...metadata } = secret;
  return metadata;
}
