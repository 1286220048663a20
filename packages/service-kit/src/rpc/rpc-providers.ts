import type { Provider } from '@nestjs/common';
import { ClientProxyFactory, Transport } from '@nestjs/microservices';
import { NATS_RPC_PROXY, RPC_INTERNAL_KEY, RPC_TIMEOUT_MS, RpcClient } from './rpc-client.js';

/** The typed RPC client over Nest's NATS transport, for services and the gateway alike. */
export function rpcClientProviders(natsUrl: string, clientName: string, timeoutMs: number, internalKey: string): Provider[] {
  return [
    { provide: NATS_RPC_PROXY, useFactory: () => ClientProxyFactory.create({ transport: Transport.NATS, options: { servers: [natsUrl], name: clientName } }) },
    { provide: RPC_TIMEOUT_MS, useValue: timeoutMs },
    { provide: RPC_INTERNAL_KEY, useValue: internalKey },
    RpcClient,
  ];
}
