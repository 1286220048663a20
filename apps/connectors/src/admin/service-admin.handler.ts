import { Controller } from '@nestjs/common';
import {
  ConnectorsPresetList,
  ConnectorsServiceCreate,
  ConnectorsServiceDelete,
  ConnectorsServiceGet,
  ConnectorsServiceList,
  ConnectorsServiceSecretList,
  ConnectorsServiceSecretPut,
  ConnectorsServiceUpdate,
  type CallContext,
  type RpcRequestParsed,
} from '@lockwell/contracts';
import { RpcHandler } from '@lockwell/service-kit';
import { ServiceAdminService } from './service-admin.service.js';

/** NATS handlers of the admin registry (/admin/services). */
@Controller()
export class ServiceAdminHandler {
  constructor(private readonly services: ServiceAdminService) {}

  @RpcHandler(ConnectorsPresetList)
  presets(_: RpcRequestParsed<typeof ConnectorsPresetList>, ctx: CallContext) {
    return { items: this.services.presets(ctx) };
  }

  @RpcHandler(ConnectorsServiceCreate)
  create(req: RpcRequestParsed<typeof ConnectorsServiceCreate>, ctx: CallContext) {
    return this.services.create(ctx, req);
  }

  @RpcHandler(ConnectorsServiceList)
  async list(_: RpcRequestParsed<typeof ConnectorsServiceList>, ctx: CallContext) {
    return { items: await this.services.list(ctx) };
  }

  @RpcHandler(ConnectorsServiceGet)
  get(req: RpcRequestParsed<typeof ConnectorsServiceGet>, ctx: CallContext) {
    return this.services.get(ctx, req.service_id);
  }

  @RpcHandler(ConnectorsServiceUpdate)
  update(req: RpcRequestParsed<typeof ConnectorsServiceUpdate>, ctx: CallContext) {
    return this.services.update(ctx, req.service_id, req.changes);
  }

  @RpcHandler(ConnectorsServiceDelete)
  delete(req: RpcRequestParsed<typeof ConnectorsServiceDelete>, ctx: CallContext) {
    return this.services.delete(ctx, req.service_id);
  }

  @RpcHandler(ConnectorsServiceSecretList)
  secrets(req: RpcRequestParsed<typeof ConnectorsServiceSecretList>, ctx: CallContext) {
    return this.services.listSecrets(ctx, req.service_id);
  }

  @RpcHandler(ConnectorsServiceSecretPut)
  putSecret(req: RpcRequestParsed<typeof ConnectorsServiceSecretPut>, ctx: CallContext) {
    return this.services.putSecret(ctx, req.service_id, req.secret_key_name, req.secret_value);
  }
}
