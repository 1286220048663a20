import { Module } from '@nestjs/common';
import { ActiveSessionService } from './active-session.service.js';
import { SessionHandler } from './session.handler.js';
import { SessionRepository } from './session.repository.js';
import { SessionRevoker } from './session-revoker.js';

/** Sessions and their refresh-token families: listing, revoking, the revocations gateways replay. */
@Module({
  controllers: [SessionHandler],
  providers: [SessionRepository, SessionRevoker, ActiveSessionService],
  exports: [SessionRepository, SessionRevoker],
})
export class SessionModule {}
