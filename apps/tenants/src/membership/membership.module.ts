import { Module } from '@nestjs/common';
import { MembershipBroadcast } from './membership-broadcast.service.js';
import { MembershipHandler } from './membership.handler.js';
import { UserDeletedConsumer } from './user-deleted.consumer.js';

/**
 * Memberships as other services see them: principal resolution, MembershipChanged on the bus before a write
 * replies, and a deleted user's memberships removed.
 */
@Module({ controllers: [MembershipHandler], providers: [MembershipBroadcast, UserDeletedConsumer], exports: [MembershipBroadcast] })
export class MembershipModule {}
