import { Controller, Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Transport, type MicroserviceOptions, type NatsOptions } from '@nestjs/microservices';
import type { BusIdentity, CallContext, RpcContract, RpcRequestParsed } from '@lockwell/contracts';
import type { NatsHandle } from '@lockwell/local-infra';
import { loadBusCredentials, natsConnectOptions, PinoNestLogger, RpcHandler, type Logger } from '@lockwell/service-kit';
import type { z } from 'zod';
import { busEnv } from './infra.js';

/** One request a stand-in answers, and how. */
export interface StandInAnswer {
  contract: RpcContract;
  handle(data: unknown, ctx: CallContext): unknown;
}

/** A fake of another service: it answers `answers` on the bus as `identity` (in its queue group, with its key). */
export interface StandIn {
  identity: BusIdentity;
  answers: StandInAnswer[];
}

/** How a stand-in answers `contract` (the payload is parsed by the contract, the reply filtered through it). */
export function answer<C extends RpcContract>(
  contract: C,
  handle: (data: RpcRequestParsed<C>, ctx: CallContext) => z.input<C['response']> | Promise<z.input<C['response']>>,
): StandInAnswer {
  return { contract, handle: handle as StandInAnswer['handle'] };
}

/** A stand-in for the service `identity`: only that service may serve its subjects, so it connects as it. */
export const standIn = (identity: BusIdentity, ...answers: StandInAnswer[]): StandIn => ({ identity, answers });

/** Starts a stand-in on `nats`; close the returned microservice when done. */
export async function startStandIn(nats: NatsHandle, standIn: StandIn, logger: Logger): Promise<INestMicroservice> {
  @Controller()
  class StandInHandlers {}
  standIn.answers.forEach((a, i) => {
    const key = `answer${i}`;
    const descriptor: PropertyDescriptor = {
      value: (data: unknown, ctx: CallContext) => a.handle(data, ctx),
      writable: true,
      configurable: true,
    };
    RpcHandler(a.contract)(StandInHandlers.prototype, key, descriptor);
    Object.defineProperty(StandInHandlers.prototype, key, descriptor);
  });
  @Module({ controllers: [StandInHandlers] })
  class StandInModule {}
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(StandInModule, {
    transport: Transport.NATS,
    options: {
      ...natsConnectOptions(
        loadBusCredentials(standIn.identity, busEnv(nats, standIn.identity)),
        `${standIn.identity}-stand-in`,
      ),
      queue: standIn.identity,
    } as NatsOptions['options'],
    logger: new PinoNestLogger(logger),
  });
  await app.listen();
  return app;
}
