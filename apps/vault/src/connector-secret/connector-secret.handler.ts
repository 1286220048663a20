import { Controller } from '@nestjs/common';
import {
  VaultConnectorSecretDelete,
  VaultConnectorSecretList,
  VaultConnectorSecretOpen,
  VaultConnectorSecretPut,
  type CallContext,
  type RpcRequestParsed,
} from '@lockwell/contracts';
import { RpcHandler } from '@lockwell/service-kit';
import { ConnectorSecretService } from './connector-secret.service.js';

/** NATS handlers of the connectors service's sealed items (callable by connectors only). */
@Controller()
export class ConnectorSecretHandler {
  constructor(private readonly items: ConnectorSecretService) {}

  @RpcHandler(VaultConnectorSecretPut)
  put(req: RpcRequestParsed<typeof VaultConnectorSecretPut>, ctx: CallContext) {
    return this.items.put(ctx, req);
  }

  @RpcHandler(VaultConnectorSecretOpen)
  open(req: RpcRequestParsed<typeof VaultConnectorSecretOpen>) {
    return this.items.open(req);
  }

  @RpcHandler(VaultConnectorSecretList)
  list(req: RpcRequestParsed<typeof VaultConnectorSecretList>) {
    return this.items.list(req);
  }

  @RpcHandler(VaultConnectorSecretDelete)
  delete(req: RpcRequestParsed<typeof VaultConnectorSecretDelete>, ctx: CallContext) {
    return this.items.delete(ctx, req);
  }
}
