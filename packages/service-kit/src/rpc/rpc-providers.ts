import type { Provider } from '@nestjs/common';
import { ClientProxyFactory, Transport } from '@nestjs/microservices';
import { NATS_RPC_PROXY, RPC_INTERNAL_KEY, RPC_TIMEOUT_MS, RpcClient } from './rpc-client.js';

/** The typed RPC client over Nest's NATS transport, for services and the gateway alike. */
export function rpcClientProviders(natsUrl: string, clientName: string, timeoutMs: number, internalKey: string): Provider[] {
  return [
    {
      provide: NATS_RPC_PROXY,
      // Never give up reconnecting; while disconnected, requests fail at once (503) instead of queueing.
      useFactory: () => ClientProxyFactory.create({ transport: Transport.NATS, options: { servers: [natsUrl], name: clientName, maxReconnectAttempts: -1, reconnectTimeWait: 500 } }),
    },
    { provide: RPC_TIMEOUT_MS, useValue: timeoutMs },
    { provide: RPC_INTERNAL_KEY, useValue: internalKey },
    RpcClient,
  ];
}
