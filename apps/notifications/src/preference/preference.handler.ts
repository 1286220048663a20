import { Controller } from '@nestjs/common';
import {
  NotificationsPreferencesGet,
  NotificationsPreferencesPut,
  type CallContext,
  type RpcRequestParsed,
} from '@lockwell/contracts';
import { RpcHandler } from '@lockwell/service-kit';
import { PreferenceService } from './preference.service.js';

@Controller()
export class PreferenceHandler {
  constructor(private readonly preferences: PreferenceService) {}

  @RpcHandler(NotificationsPreferencesGet)
  get(_: RpcRequestParsed<typeof NotificationsPreferencesGet>, ctx: CallContext) {
    return this.preferences.get(ctx);
  }

  @RpcHandler(NotificationsPreferencesPut)
  put(data: RpcRequestParsed<typeof NotificationsPreferencesPut>, ctx: CallContext) {
    return this.preferences.put(ctx, data.items);
  }
}
