import { Controller } from '@nestjs/common';
import {
  NotificationsInboxList,
  NotificationsInboxRead,
  type CallContext,
  type RpcRequestParsed,
} from '@lockwell/contracts';
import { RpcHandler } from '@lockwell/service-kit';
import { InboxService } from './inbox.service.js';

@Controller()
export class InboxHandler {
  constructor(private readonly inbox: InboxService) {}

  @RpcHandler(NotificationsInboxList)
  list(data: RpcRequestParsed<typeof NotificationsInboxList>, ctx: CallContext) {
    return this.inbox.list(ctx, data);
  }

  @RpcHandler(NotificationsInboxRead)
  read(data: RpcRequestParsed<typeof NotificationsInboxRead>, ctx: CallContext) {
    return this.inbox.markRead(ctx, data.notification_id);
  }
}
