import { Module } from '@nestjs/common';
import { MembershipBroadcast } from './membership-broadcast.service.js';
import { MembershipHandler } from './membership.handler.js';
import { MembershipRepository } from './membership.repository.js';
import { MembershipService } from './membership.service.js';
import { UserDeletedConsumer } from './user-deleted.consumer.js';

/**
 * Memberships as other services see them: principal resolution, MembershipChanged on the bus before a write
 * replies, and a deleted user's memberships removed. Exports the table and the broadcast to the features that
 * change memberships.
 */
@Module({
  controllers: [MembershipHandler],
  providers: [MembershipRepository, MembershipService, MembershipBroadcast, UserDeletedConsumer],
  exports: [MembershipRepository, MembershipBroadcast],
})
export class MembershipModule {}
