// How secrets become environment variables (docs/cli.md "Variable names"):
//   - a secret's variable is SERVICE_KEY, or just KEY when the caller picked one service;
//   - a key_value secret gives one variable per pair, named after the pair's key alone;
//   - a name is upper-cased, every character other than A-Z, 0-9 and _ becomes _, runs of _ shrink to one,
//     _ at either end is dropped, and a leading digit gets a _ in front: `openai` + `api-key` -> OPENAI_API_KEY.
// Two secrets that derive the same name are a collision: reported, never silently resolved by order.

/** The environment variable name for these name parts, or undefined when nothing usable is left. */
export function deriveEnvName(...parts: string[]): string | undefined {
  const name = parts
    .join('_')
    .toUpperCase()
    .replace(/[^A-Z0-9_]/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_|_$/g, '');
  if (!name) return undefined;
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

/** One candidate variable and the secret it came from (`service/key`, `service/key#PAIR` for key_value pairs). */
export interface EnvCandidate {
  name: string | undefined;
  value: string;
  source: string;
}

export interface EnvCollision {
  name: string;
  sources: string[];
}

export interface EnvBuild {
  /** Every variable that exactly one secret claims. */
  env: Record<string, string>;
  /** Names claimed by two or more secrets; none of them is in `env`. */
  collisions: EnvCollision[];
  /** Secrets whose names derive nothing usable (e.g. `---`). */
  unnamed: string[];
}

export function buildEnv(candidates: EnvCandidate[]): EnvBuild {
  const claims = new Map<string, EnvCandidate[]>();
  const unnamed: string[] = [];
  for (const candidate of candidates) {
    if (candidate.name === undefined) unnamed.push(candidate.source);
    else claims.set(candidate.name, [...(claims.get(candidate.name) ?? []), candidate]);
  }
  const env: Record<string, string> = {};
  const collisions: EnvCollision[] = [];
  for (const [name, claimants] of [...claims].sort(([a], [b]) => a.localeCompare(b))) {
    if (claimants.length === 1) env[name] = claimants[0].value;
    else collisions.push({ name, sources: claimants.map((c) => c.source).sort() });
  }
  return { env, collisions, unnamed };
}
