import { Module } from '@nestjs/common';
import { Argon2PasswordHasher, PASSWORD_HASHER } from './password-hasher.js';

/** argon2id behind the PasswordHasher port (the policy is plain functions, imported where needed). */
@Module({ providers: [{ provide: PASSWORD_HASHER, useClass: Argon2PasswordHasher }], exports: [PASSWORD_HASHER] })
export class PasswordModule {}
