import { z } from 'zod';
import { isLoopbackNatsUrl } from '../nats/bus-credentials.js';

/** Raised when the environment does not satisfy a config schema; names variables, never their values. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
}

/**
 * Parses `env` with a zod schema and freezes the result. Messages name the variable and what is wrong
 * with it; we never echo the rejected value because it may be a credential. An empty variable counts as
 * unset, so `VAR=` (or docker-compose's `${VAR:-}`) falls back to the default instead of failing.
 */
export function loadConfig<S extends z.ZodType>(
  schema: S,
  env: Record<string, string | undefined> = process.env,
): Readonly<z.output<S>> {
  const given = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const result = schema.safeParse(given);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map(
        (i) =>
          `${i.path.join('.') || '(root)'}: ${i.code === 'invalid_type' ? 'missing or of the wrong type' : i.message}`,
      ),
    );
  }
  return Object.freeze(result.data) as Readonly<z.output<S>>;
}

/** loadConfig for a process entry point: prints the problems and exits with status 1. */
export function loadConfigOrExit<S extends z.ZodType>(
  schema: S,
  env: Record<string, string | undefined> = process.env,
): Readonly<z.output<S>> {
  try {
    return loadConfig(schema, env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * Settings every process on the bus reads (README "The bus"). NODE_ENV defaults to production: a process
 * started without it gets production's refusals, never development's conveniences.
 */
export const busConfigFields = {
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  NATS_URL: z
    .string()
    .regex(/^(nats|tls):\/\/\S+$/, 'must be a nats:// or tls:// URL')
    .default('nats://127.0.0.1:4222'),
  /** This process's nkey seed: authenticates it to nats-server and signs its calls and events. */
  LOCKWELL_NATS_SEED: z.string().min(1).optional(),
  LOCKWELL_NATS_SEED_FILE: z.string().min(1).optional(),
  /** Every identity's public nkey (`gateway=U...,identity=U...`): whom calls and events are checked against. */
  LOCKWELL_BUS_KEYS: z.string().min(1).optional(),
  LOCKWELL_BUS_KEYS_FILE: z.string().min(1).optional(),
  /** CA that signed nats-server's certificate; setting it (or a tls:// URL) makes TLS mandatory. */
  LOCKWELL_NATS_TLS_CA_FILE: z.string().min(1).optional(),
  /** Client certificate and key, for a nats-server that verifies clients (mutual TLS). */
  LOCKWELL_NATS_TLS_CERT_FILE: z.string().min(1).optional(),
  LOCKWELL_NATS_TLS_KEY_FILE: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  RPC_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
};

/** Settings every backend service reads (README "Configuration"). */
export const serviceConfigFields = {
  ...busConfigFields,
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgresql:// URL'),
  LOCKWELL_MASTER_KEY: z.string().min(1).optional(),
  LOCKWELL_MASTER_KEY_FILE: z.string().min(1).optional(),
  /** Production refuses to start on a database with fsync or synchronous_commit off unless this is true (logged as a warning). */
  LOCKWELL_ALLOW_NON_DURABLE_DATABASE: z.stringbool().default(false),
};

type BusConfig = {
  NODE_ENV?: string;
  NATS_URL?: string;
  LOCKWELL_NATS_SEED?: string;
  LOCKWELL_NATS_SEED_FILE?: string;
  LOCKWELL_BUS_KEYS?: string;
  LOCKWELL_BUS_KEYS_FILE?: string;
  LOCKWELL_NATS_TLS_CA_FILE?: string;
};

/** The refinements every bus config needs: a credential, the keyring, and TLS in production off loopback (API-6). */
export function refineBusConfig<S extends z.ZodObject>(schema: S): S {
  const bus = (c: unknown) => c as BusConfig;
  return schema
    .refine((c) => bus(c).LOCKWELL_NATS_SEED !== undefined || bus(c).LOCKWELL_NATS_SEED_FILE !== undefined, {
      path: ['LOCKWELL_NATS_SEED'],
      message: 'required (or LOCKWELL_NATS_SEED_FILE): every process connects to NATS with its own credential',
    })
    .refine((c) => bus(c).LOCKWELL_BUS_KEYS !== undefined || bus(c).LOCKWELL_BUS_KEYS_FILE !== undefined, {
      path: ['LOCKWELL_BUS_KEYS'],
      message: 'required (or LOCKWELL_BUS_KEYS_FILE): the public keys of the gateway and every service',
    })
    .refine(
      (c) => {
        const { NODE_ENV, NATS_URL = '', LOCKWELL_NATS_TLS_CA_FILE } = bus(c);
        return (
          NODE_ENV !== 'production' ||
          isLoopbackNatsUrl(NATS_URL) ||
          NATS_URL.startsWith('tls://') ||
          LOCKWELL_NATS_TLS_CA_FILE !== undefined
        );
      },
      {
        path: ['NATS_URL'],
        message: 'production needs TLS (a tls:// URL or LOCKWELL_NATS_TLS_CA_FILE) when nats-server is not on loopback',
      },
    );
}

/** A service's config schema: the shared fields plus its own; the master key is always required (ENC-8). */
export function defineServiceConfig<E extends z.ZodRawShape>(extra: E) {
  return refineBusConfig(z.object({ ...serviceConfigFields, ...extra })).refine(
    (c) => {
      const keys = c as { LOCKWELL_MASTER_KEY?: string; LOCKWELL_MASTER_KEY_FILE?: string };
      return keys.LOCKWELL_MASTER_KEY !== undefined || keys.LOCKWELL_MASTER_KEY_FILE !== undefined;
    },
    {
      path: ['LOCKWELL_MASTER_KEY'],
      message: 'required (or LOCKWELL_MASTER_KEY_FILE); production must supply it explicitly',
    },
  );
}

export const serviceConfigSchema = defineServiceConfig({});

/** Operator commands that work on one service's database directly, without NATS: the database and the master key. */
export const databaseToolConfigSchema = z
  .object({
    DATABASE_URL: serviceConfigFields.DATABASE_URL,
    LOCKWELL_MASTER_KEY: serviceConfigFields.LOCKWELL_MASTER_KEY,
    LOCKWELL_MASTER_KEY_FILE: serviceConfigFields.LOCKWELL_MASTER_KEY_FILE,
  })
  .refine((c) => c.LOCKWELL_MASTER_KEY !== undefined || c.LOCKWELL_MASTER_KEY_FILE !== undefined, {
    path: ['LOCKWELL_MASTER_KEY'],
    message: 'required (or LOCKWELL_MASTER_KEY_FILE)',
  });
export type ServiceConfig = z.output<typeof serviceConfigSchema>;
