import { Module } from '@nestjs/common';
import { RoleCatalog } from './role-catalog.service.js';

/** The permissions a tenant role grants: built-in roles from contracts, custom ones from identity. */
@Module({ providers: [RoleCatalog], exports: [RoleCatalog] })
export class RoleModule {}
