import { Module } from '@nestjs/common';
import { ApiTokenHandler } from './api-token.handler.js';
import { ApiTokenRepository } from './api-token.repository.js';
import { ApiTokenService } from './api-token.service.js';

/** Machine API tokens: shown once, stored hashed, never more powerful than their creator. */
@Module({
  controllers: [ApiTokenHandler],
  providers: [ApiTokenRepository, ApiTokenService],
  exports: [ApiTokenService],
})
export class ApiTokenModule {}
