import { Module } from '@nestjs/common';
import { RoleCatalog } from './role-catalog.service.js';
import { TenantAccess } from './tenant-access.service.js';

/** Who may do what in a tenant, from this service's membership rows and the role catalogue. */
@Module({ providers: [RoleCatalog, TenantAccess], exports: [RoleCatalog, TenantAccess] })
export class AccessModule {}
