import { Module } from '@nestjs/common';
import { MembershipBroadcast } from './membership-broadcast.service.js';
import { MembershipHandler } from './membership.handler.js';

/** Memberships as other services see them: principal resolution, and MembershipChanged on the bus before a write replies. */
@Module({ controllers: [MembershipHandler], providers: [MembershipBroadcast], exports: [MembershipBroadcast] })
export class MembershipModule {}
