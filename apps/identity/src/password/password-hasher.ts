import { Inject, Injectable } from '@nestjs/common';
import { SERVICE_CONFIG } from '@lockwell/service-kit';
import { generateToken, hashPassword, passwordNeedsRehash, verifyPassword, type Argon2Params } from '@lockwell/crypto';
import type { Config } from '../config.js';

/** argon2id with the configured cost (PW-1), behind a port so domain tests can run fast. */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(phc: string, password: string): Promise<boolean>;
  needsRehash(phc: string): boolean;
  /** Spends the same work as a real verify for an unknown account (PW-3). */
  dummyVerify(password: string): Promise<void>;
}
export const PASSWORD_HASHER = Symbol('PASSWORD_HASHER');

@Injectable()
export class Argon2PasswordHasher implements PasswordHasher {
  private readonly params: Argon2Params;
  private dummyHash?: Promise<string>;

  constructor(@Inject(SERVICE_CONFIG) config: Config) {
    this.params = {
      memoryCost: config.LOCKWELL_ARGON2_MEMORY_KIB,
      timeCost: config.LOCKWELL_ARGON2_TIME_COST,
      parallelism: 1,
    };
  }

  hash(password: string): Promise<string> {
    return hashPassword(password, this.params);
  }

  verify(phc: string, password: string): Promise<boolean> {
    return verifyPassword(phc, password);
  }

  needsRehash(phc: string): boolean {
    return passwordNeedsRehash(phc, this.params);
  }

  async dummyVerify(password: string): Promise<void> {
    // A hash of a random secret with the current parameters: verifying against it costs what a real one does.
    this.dummyHash ??= this.hash(generateToken());
    await verifyPassword(await this.dummyHash, password);
  }
}
