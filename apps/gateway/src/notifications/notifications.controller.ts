import { Controller, Get, HttpCode, Post, Put } from '@nestjs/common';
import {
  InboxItem,
  InboxListQuery,
  NotificationIdParams,
  NotificationsInboxList,
  NotificationsInboxRead,
  NotificationsPreferencesGet,
  NotificationsPreferencesPut,
  pageOf,
  Preferences,
  PreferencesBody,
  type CallContext,
} from '@lockwell/contracts';
import { RpcClient } from '@lockwell/service-kit';
import type { z } from 'zod';
import { API_PREFIX } from '../http/api-prefix.js';
import { Ctx } from '../http/call-context.decorator.js';
import { ApiRoute, ValidBody, ValidParams, ValidQuery } from '../openapi/api-route.decorator.js';

const TAG = 'notifications';

/** The caller's in-app inbox and notification preferences (docs/api.md "Notifications and audit"). */
@Controller(`${API_PREFIX}/notifications`)
export class NotificationsController {
  constructor(private readonly rpc: RpcClient) {}

  @Get()
  @ApiRoute({
    summary: "The caller's in-app inbox, newest first; filters `unread=true`, `kind`",
    tag: TAG,
    query: InboxListQuery,
    response: pageOf(InboxItem),
  })
  list(@ValidQuery() query: z.output<typeof InboxListQuery>, @Ctx() ctx: CallContext) {
    return this.rpc.request(NotificationsInboxList, query, ctx);
  }

  @Get('preferences')
  @ApiRoute({
    summary: 'Where each kind of notification reaches the caller (every kind listed; defaults: all channels)',
    tag: TAG,
    response: Preferences,
  })
  preferences(@Ctx() ctx: CallContext) {
    return this.rpc.request(NotificationsPreferencesGet, {}, ctx);
  }

  @Put('preferences')
  @ApiRoute({
    summary:
      "Change the caller's preferences for all kinds or a subset; password.changed and session.refresh_reuse are emailed whatever `email` says",
    tag: TAG,
    body: PreferencesBody,
    response: Preferences,
  })
  setPreferences(@ValidBody() body: z.output<typeof PreferencesBody>, @Ctx() ctx: CallContext) {
    return this.rpc.request(NotificationsPreferencesPut, body, ctx);
  }

  @Post(':notification_id/read')
  @HttpCode(200)
  @ApiRoute({
    summary: "Mark one of the caller's notifications read; 404 NOTIFICATION_NOT_FOUND for anybody else's",
    tag: TAG,
    params: NotificationIdParams,
    response: InboxItem,
    status: 200,
  })
  read(@ValidParams() params: z.output<typeof NotificationIdParams>, @Ctx() ctx: CallContext) {
    return this.rpc.request(NotificationsInboxRead, params, ctx);
  }
}
