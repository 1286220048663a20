import { Module } from '@nestjs/common';
import { ServiceRepository } from './service.repository.js';

/** The registered third-party services as stored; every feature reads them, only admin/ changes them. */
@Module({ providers: [ServiceRepository], exports: [ServiceRepository] })
export class ServiceModule {}
