import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/core';
import { assertCallDeadlineNotPassed } from '../rpc/call-deadline.js';

/**
 * Checks the current call's deadline just before every COMMIT of this service (a throw there rolls the
 * transaction back): past it, the caller has already answered 503, so the write must not land.
 */
@Injectable()
export class CommitDeadline implements OnApplicationBootstrap {
  constructor(private readonly orm: MikroORM) {}

  onApplicationBootstrap() {
    this.orm.em.getEventManager().registerSubscriber({ beforeTransactionCommit: () => assertCallDeadlineNotPassed() });
  }
}
