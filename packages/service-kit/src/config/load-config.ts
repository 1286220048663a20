import { z } from 'zod';

/** Raised when the environment does not satisfy a config schema; names variables, never their values. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
}

/**
 * Parses `env` with a zod schema and freezes the result. Messages name the variable and what is wrong
 * with it; we never echo the rejected value because it may be a credential.
 */
export function loadConfig<S extends z.ZodType>(schema: S, env: Record<string, string | undefined> = process.env): Readonly<z.output<S>> {
  const result = schema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.code === 'invalid_type' ? 'missing or of the wrong type' : i.message}`));
  }
  return Object.freeze(result.data) as Readonly<z.output<S>>;
}

/** loadConfig for a process entry point: prints the problems and exits with status 1. */
export function loadConfigOrExit<S extends z.ZodType>(schema: S, env: Record<string, string | undefined> = process.env): Readonly<z.output<S>> {
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

/** Settings every backend service reads (README "Configuration"). */
export const serviceConfigFields = {
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  NATS_URL: z.string().regex(/^(nats|tls):\/\/\S+$/, 'must be a nats:// or tls:// URL').default('nats://127.0.0.1:4222'),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgresql:// URL'),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  RPC_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
  LOCKWELL_MASTER_KEY: z.string().min(1).optional(),
  LOCKWELL_MASTER_KEY_FILE: z.string().min(1).optional(),
  /** Production refuses to start on a database with fsync or synchronous_commit off unless this is true (logged as a warning). */
  LOCKWELL_ALLOW_NON_DURABLE_DATABASE: z.stringbool().default(false),
  /** Shared by the gateway and the services to sign every request's call context (AZ-5). */
  LOCKWELL_INTERNAL_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
};

/** Local runs and tests without LOCKWELL_INTERNAL_KEY use this; production refuses to start without one. */
export const DEVELOPMENT_INTERNAL_KEY = 'lockwell-development-internal-key (never used in production)';

/** The internal signing key in force for a parsed config. */
export const internalKeyOf = (config: { LOCKWELL_INTERNAL_KEY?: string }): string => config.LOCKWELL_INTERNAL_KEY ?? DEVELOPMENT_INTERNAL_KEY;

/** Production must not run on the development internal key. */
export const requireInternalKeyInProduction = (c: unknown) => {
  const config = c as { NODE_ENV?: string; LOCKWELL_INTERNAL_KEY?: string };
  return config.NODE_ENV !== 'production' || config.LOCKWELL_INTERNAL_KEY !== undefined;
};
export const INTERNAL_KEY_REQUIRED = { path: ['LOCKWELL_INTERNAL_KEY'], message: 'required in production' };

/** A service's config schema: the shared fields plus its own; the master key is always required (ENC-8). */
export function defineServiceConfig<E extends z.ZodRawShape>(extra: E) {
  return z
    .object({ ...serviceConfigFields, ...extra })
    .refine((c) => {
      const keys = c as { LOCKWELL_MASTER_KEY?: string; LOCKWELL_MASTER_KEY_FILE?: string };
      return keys.LOCKWELL_MASTER_KEY !== undefined || keys.LOCKWELL_MASTER_KEY_FILE !== undefined;
    }, {
      path: ['LOCKWELL_MASTER_KEY'],
      message: 'required (or LOCKWELL_MASTER_KEY_FILE); production must supply it explicitly',
    })
    .refine(requireInternalKeyInProduction, INTERNAL_KEY_REQUIRED);
}

export const serviceConfigSchema = defineServiceConfig({});
export type ServiceConfig = z.output<typeof serviceConfigSchema>;
