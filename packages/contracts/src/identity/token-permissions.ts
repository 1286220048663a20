import { permits, type Permission } from '../permissions.js';

/** Splits `secrets:read@staging` into its catalogue name and environment limit. */
export function splitPermission(p: string): { base: Permission; env?: string } {
  const [base, env] = p.split('@');
  return { base: base as Permission, env };
}

/** Whether `granted` covers `wanted`, which may carry an `@env` limit. */
export function coversPermission(granted: readonly string[], wanted: string): boolean {
  const { base, env } = splitPermission(wanted);
  // Stryker disable next-line ConditionalExpression: equivalent, permits() without an environment is includes()
  return env === undefined ? granted.includes(base) : permits(granted, base, env);
}

/**
 * What an API token may actually do: its grant intersected with what its creator holds now. An unlimited
 * grant meets an environment-limited right as that limited right (`secrets:read` ∩ `secrets:read@dev` =
 * `secrets:read@dev`).
 */
export function intersectPermissions(grant: readonly string[], held: readonly string[]): string[] {
  const out = new Set<string>();
  for (const p of grant) {
    const { base, env } = splitPermission(p);
    if (env !== undefined) {
      if (coversPermission(held, p)) out.add(p);
    } else if (held.includes(base)) {
      out.add(base);
    } else {
      for (const h of held) if (h.startsWith(`${base}@`)) out.add(h);
    }
  }
  return [...out].sort();
}
