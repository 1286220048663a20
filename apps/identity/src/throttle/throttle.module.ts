import { Module } from '@nestjs/common';
import { LoginThrottleRepository } from './login-throttle.repository.js';
import { LoginThrottleService } from './login-throttle.service.js';

/** Login throttling per account and per address (PW-4), shared by every replica through PostgreSQL. */
@Module({ providers: [LoginThrottleRepository, LoginThrottleService], exports: [LoginThrottleService] })
export class ThrottleModule {}
