import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module.js';
import { MembershipModule } from '../membership/membership.module.js';
import { MemberHandler } from './member.handler.js';
import { MemberService } from './member.service.js';

@Module({ imports: [AccessModule, MembershipModule], controllers: [MemberHandler], providers: [MemberService] })
export class MemberModule {}
