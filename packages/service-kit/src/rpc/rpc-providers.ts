import type { Provider } from '@nestjs/common';
import { ClientProxyFactory, Transport, type NatsOptions } from '@nestjs/microservices';
import { natsConnectOptions, type BusCredentials } from '../nats/bus-credentials.js';
import { BUS_CREDENTIALS } from '../tokens.js';
import { NATS_RPC_PROXY, RPC_TIMEOUT_MS, RpcClient } from './rpc-client.js';

const natsProxy = (bus: BusCredentials, clientName: string) =>
  ClientProxyFactory.create({
    transport: Transport.NATS,
    options: natsConnectOptions(bus, clientName) as NatsOptions['options'],
  });

/** An RpcClient outside Nest's DI, e.g. a test acting as the gateway; `onApplicationShutdown()` closes it. */
export function createRpcClient(bus: BusCredentials, clientName: string, timeoutMs: number): RpcClient {
  return new RpcClient(natsProxy(bus, clientName), timeoutMs, bus);
}

/** The typed RPC client over Nest's NATS transport, for services and the gateway alike (BUS_CREDENTIALS must be provided). */
export function rpcClientProviders(clientName: string, timeoutMs: number): Provider[] {
  return [
    {
      provide: NATS_RPC_PROXY,
      inject: [BUS_CREDENTIALS],
      useFactory: (bus: BusCredentials) => natsProxy(bus, clientName),
    },
    { provide: RPC_TIMEOUT_MS, useValue: timeoutMs },
    RpcClient,
  ];
}
