// Password hashing with argon2id (PW-1). Parameters live in the PHC string, so policy can be raised
// later and old hashes upgraded on the next successful login via passwordNeedsRehash.
import { randomBytes } from 'node:crypto';
import { hash, verify, type Algorithm } from '@node-rs/argon2';

export interface Argon2Params {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

// OWASP Password Storage Cheat Sheet minimum for argon2id: 19 MiB, 2 passes, 1 lane.
export const DEFAULT_ARGON2_PARAMS: Argon2Params = Object.freeze({ memoryCost: 19456, timeCost: 2, parallelism: 1 });

// The binding declares Algorithm as an ambient const enum, which isolatedModules cannot inline
// (and the runtime object is empty), so use its numeric value.
const ARGON2ID = 2 as Algorithm;
const ARGON2_VERSION = 19;
const SALT_BYTES = 16;
const PHC =
  /^\$(argon2id|argon2i|argon2d)\$(?:v=(\d+)\$)?m=(\d+),t=(\d+),p=(\d+)(?:,[^$]*)?\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

/** argon2id PHC string (`$argon2id$v=19$m=..,t=..,p=..$salt$hash`) with a fresh 16-byte salt. */
export async function hashPassword(password: string, params: Argon2Params = DEFAULT_ARGON2_PARAMS): Promise<string> {
  return hash(password, {
    algorithm: ARGON2ID,
    memoryCost: params.memoryCost,
    timeCost: params.timeCost,
    parallelism: params.parallelism,
    salt: randomBytes(SALT_BYTES),
  });
}

/** True only if `password` matches `phc`; malformed or unsupported hashes yield false rather than an exception. */
export async function verifyPassword(phc: string, password: string): Promise<boolean> {
  if (typeof phc !== 'string' || typeof password !== 'string' || !PHC.test(phc)) return false;
  try {
    return await verify(phc, password);
  } catch {
    return false;
  }
}

/** Algorithm and cost parameters of an argon2 PHC string, or null when it is not one. */
export function parsePhcParams(phc: string): (Argon2Params & { algorithm: string }) | null {
  const m = typeof phc === 'string' ? PHC.exec(phc) : null;
  if (!m) return null;
  return { algorithm: m[1]!, memoryCost: Number(m[3]), timeCost: Number(m[4]), parallelism: Number(m[5]) };
}

/** True when `phc` is not argon2id v19 or any cost is below `params`, i.e. it should be re-hashed after login. */
export function passwordNeedsRehash(phc: string, params: Argon2Params = DEFAULT_ARGON2_PARAMS): boolean {
  const parsed = parsePhcParams(phc);
  if (!parsed || parsed.algorithm !== 'argon2id') return true;
  const version = PHC.exec(phc)?.[2];
  if (version === undefined || Number(version) !== ARGON2_VERSION) return true;
  return (
    parsed.memoryCost < params.memoryCost ||
    parsed.timeCost < params.timeCost ||
    parsed.parallelism < params.parallelism
  );
}
