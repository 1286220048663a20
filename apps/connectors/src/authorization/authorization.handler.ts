import { Controller } from '@nestjs/common';
import {
  ConnectorsAuthorizationComplete,
  ConnectorsAuthorizationStart,
  type CallContext,
  type RpcRequestParsed,
} from '@lockwell/contracts';
import { RpcHandler } from '@lockwell/service-kit';
import { AuthorizationService } from './authorization.service.js';

/** NATS handlers of POST /services/{id}/authorize and GET /services/oauth/callback. */
@Controller()
export class AuthorizationHandler {
  constructor(private readonly authorizations: AuthorizationService) {}

  @RpcHandler(ConnectorsAuthorizationStart)
  start(req: RpcRequestParsed<typeof ConnectorsAuthorizationStart>, ctx: CallContext) {
    return this.authorizations.start(ctx, req);
  }

  @RpcHandler(ConnectorsAuthorizationComplete)
  complete(req: RpcRequestParsed<typeof ConnectorsAuthorizationComplete>, ctx: CallContext) {
    return this.authorizations.complete(ctx, req.params, req.binding_hash);
  }
}
