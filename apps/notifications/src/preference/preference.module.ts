import { Module } from '@nestjs/common';
import { PreferenceHandler } from './preference.handler.js';
import { PreferenceRepository } from './preference.repository.js';
import { PreferenceService } from './preference.service.js';

/** Which channels each user wants per kind. */
@Module({
  controllers: [PreferenceHandler],
  providers: [PreferenceRepository, PreferenceService],
  exports: [PreferenceService, PreferenceRepository],
})
export class PreferenceModule {}
