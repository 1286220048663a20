import { Module } from '@nestjs/common';
import { RoleHandler } from './role.handler.js';
import { RoleRepository } from './role.repository.js';
import { RoleService } from './role.service.js';

/** Installation roles: built-in and custom, their permissions, who holds them (users, access and bootstrap use it). */
@Module({ controllers: [RoleHandler], providers: [RoleRepository, RoleService], exports: [RoleService] })
export class RoleModule {}
