import { Controller } from '@nestjs/common';
import { ConnectorsConnectionToken, type CallContext, type RpcRequestParsed } from '@lockwell/contracts';
import { RpcHandler } from '@lockwell/service-kit';
import { TokenBroker } from './token-broker.service.js';

/** NATS handler of POST /services/connections/{id}/token. */
@Controller()
export class BrokerHandler {
  constructor(private readonly broker: TokenBroker) {}

  @RpcHandler(ConnectorsConnectionToken)
  token(req: RpcRequestParsed<typeof ConnectorsConnectionToken>, ctx: CallContext) {
    return this.broker.handOut(ctx, req.connection_id, req.scopes);
  }
}
