import { Module } from '@nestjs/common';
import { InboxHandler } from './inbox.handler.js';
import { InboxRepository } from './inbox.repository.js';
import { InboxService } from './inbox.service.js';

/** The in-app inbox: GET /notifications and mark read. */
@Module({ controllers: [InboxHandler], providers: [InboxRepository, InboxService], exports: [InboxRepository] })
export class InboxModule {}
