import { Module } from '@nestjs/common';
import { KeysModule } from '../keys/keys.module.js';
import { SecretCipher } from './secret-cipher.js';

/** Sealing and opening secret values under their scope's data key (ENC-2, ENC-3). */
@Module({ imports: [KeysModule], providers: [SecretCipher], exports: [SecretCipher] })
export class CipherModule {}
