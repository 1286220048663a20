import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { generateToken } from '@lockwell/crypto';
import { CLOCK, type Clock, LOGGER, type Logger, SERVICE_CONFIG } from '@lockwell/service-kit';
import { randomUUID } from 'node:crypto';
import { chmodSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';
import { PASSWORD_HASHER, type PasswordHasher } from '../password/password-hasher.js';
import { passwordProblem } from '../password/password-policy.js';
import { RoleService } from '../role/role.service.js';
import { SigningKeyService } from '../signing-key/signing-key.service.js';
import { UserRepository } from '../user/user.repository.js';

/**
 * First start: creates the administrator (from LOCKWELL_ADMIN_EMAIL / LOCKWELL_ADMIN_PASSWORD, or with a
 * generated password written to a file only its owner can read, LOCKWELL_GENERATED_ADMIN_PASSWORD_FILE: never
 * to stdout or the logger, where log shippers and terminal scrollback keep it) and the first signing key.
 */
@Injectable()
export class AdminBootstrapService implements OnApplicationBootstrap {
  constructor(
    private readonly orm: MikroORM,
    private readonly users: UserRepository,
    private readonly roles: RoleService,
    private readonly keys: SigningKeyService,
    @Inject(PASSWORD_HASHER) private readonly hasher: PasswordHasher,
    @Inject(SERVICE_CONFIG) private readonly config: Config,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.ensureAdmin();
    await this.keys.activeSigner();
  }

  private async ensureAdmin(): Promise<void> {
    const given = this.config.LOCKWELL_ADMIN_PASSWORD;
    if (given !== undefined) {
      const problem = passwordProblem(given, { email: this.config.LOCKWELL_ADMIN_EMAIL });
      if (problem) throw new Error(`LOCKWELL_ADMIN_PASSWORD: the password ${problem}`);
    }
    const password = given ?? generateToken('', 24);
    const passwordFile = path.resolve(this.config.LOCKWELL_GENERATED_ADMIN_PASSWORD_FILE);
    const passwordHash = await this.hasher.hash(password);
    const em = this.orm.em.fork() as EntityManager;
    const created = await em.transactional(async (tx) => {
      await this.users.lockBootstrap(tx);
      if ((await this.users.countActiveAdmins(tx)) > 0) return false;
      const admin = await this.roles.builtIn(tx, 'admin');
      const now = this.clock.now();
      let user = await this.users.findByEmail(tx, this.config.LOCKWELL_ADMIN_EMAIL);
      if (user) {
        user.passwordHash = passwordHash;
        user.status = 'active';
        user.updatedAt = now;
      } else {
        user = this.users.add(tx, {
          id: randomUUID(),
          email: this.config.LOCKWELL_ADMIN_EMAIL,
          fullName: 'Administrator',
          passwordHash,
          createdAt: now,
          updatedAt: now,
        });
      }
      await tx.flush();
      await this.roles.assign(tx, user.id, [admin.id]);
      // Written before the commit: if the file cannot be written, no administrator with an unknown password exists.
      if (given === undefined) writeOwnerOnlyFile(passwordFile, `${password}\n`);
      return true;
    });
    if (!created) return;
    if (given !== undefined) {
      this.logger.info({ email: this.config.LOCKWELL_ADMIN_EMAIL }, 'bootstrap administrator created');
      return;
    }
    this.logger.warn(
      { email: this.config.LOCKWELL_ADMIN_EMAIL, file: passwordFile },
      'bootstrap administrator created with a generated password, written to the file named here (mode 0600): log in, change the password, delete the file',
    );
  }
}

/** Writes `content` readable by its owner only, aside then renamed (never half-written, never world-readable). */
function writeOwnerOnlyFile(file: string, content: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, content, { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, file);
  } catch {
    throw new Error(
      'LOCKWELL_GENERATED_ADMIN_PASSWORD_FILE: cannot write the file it names (or set LOCKWELL_ADMIN_PASSWORD)',
    );
  }
}
