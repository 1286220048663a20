import { Module } from '@nestjs/common';
import { RecipientResolver } from './recipient.resolver.js';

/** Recipients resolved at send time from tenants and identity. */
@Module({ providers: [RecipientResolver], exports: [RecipientResolver] })
export class RecipientModule {}
