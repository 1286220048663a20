import { Controller } from '@nestjs/common';
import {
  ConnectorsCatalogList,
  ConnectorsConnectionDisconnect,
  ConnectorsConnectionList,
  type CallContext,
  type RpcRequestParsed,
} from '@lockwell/contracts';
import { RpcHandler } from '@lockwell/service-kit';
import { ConnectionService } from './connection.service.js';

/** NATS handlers of GET /services, GET /services/connections and DELETE /services/connections/{id}. */
@Controller()
export class ConnectionHandler {
  constructor(private readonly connections: ConnectionService) {}

  @RpcHandler(ConnectorsCatalogList)
  catalog(req: RpcRequestParsed<typeof ConnectorsCatalogList>, ctx: CallContext) {
    return this.connections.catalog(ctx, req);
  }

  @RpcHandler(ConnectorsConnectionList)
  list(req: RpcRequestParsed<typeof ConnectorsConnectionList>, ctx: CallContext) {
    return this.connections.list(ctx, req);
  }

  @RpcHandler(ConnectorsConnectionDisconnect)
  disconnect(req: RpcRequestParsed<typeof ConnectorsConnectionDisconnect>, ctx: CallContext) {
    return this.connections.disconnect(ctx, req.connection_id);
  }
}
