import { Module } from '@nestjs/common';
import { SigningKeyHandler } from './signing-key.handler.js';
import { SigningKeyRepository } from './signing-key.repository.js';
import { SigningKeyRewrap } from './signing-key-rewrap.js';
import { SigningKeyService } from './signing-key.service.js';

/** JWT signing keys: the active signer, rotation, the JWKS, re-sealing under a new master key. */
@Module({
  controllers: [SigningKeyHandler],
  providers: [SigningKeyRepository, SigningKeyService, SigningKeyRewrap],
  exports: [SigningKeyService],
})
export class SigningKeyModule {}
