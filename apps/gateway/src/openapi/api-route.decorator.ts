import { SetMetadata, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { assertNoNul, parseOrThrow } from '@lockwell/service-kit';
import type { z } from 'zod';

export const API_ROUTE = 'lockwell:api-route';

export interface ApiRouteMeta {
  summary: string;
  tag: string;
  /** Validates the JSON body (400 VALIDATION_FAILED on mismatch) and documents it. */
  body?: z.ZodType;
  /** Validates the query string and documents its parameters. */
  query?: z.ZodObject;
  /** Validates path parameters and documents them. */
  params?: z.ZodObject;
  /** The success response, documented (the service already serialised through the contract). */
  response?: z.ZodType;
  status?: number;
  /** The success response's media type when it is not JSON (a streamed export: `application/x-ndjson`, `response` describes one line). */
  contentType?: string;
  /** Public routes skip authentication. */
  public?: boolean;
  /** Left out of the OpenAPI document (static assets of the docs page). */
  hidden?: boolean;
}

/** Declares a route's contract once: used for request validation and for the OpenAPI document. */
export const ApiRoute = (meta: ApiRouteMeta) => SetMetadata(API_ROUTE, meta);

function routeMeta(context: ExecutionContext): ApiRouteMeta {
  const meta = Reflect.getMetadata(API_ROUTE, context.getHandler()) as ApiRouteMeta | undefined;
  if (!meta) throw new Error(`${context.getClass().name}.${context.getHandler().name} has no @ApiRoute`);
  return meta;
}

/** The request body parsed with the route's `body` schema. */
export const ValidBody = createParamDecorator((_: unknown, context: ExecutionContext) => {
  const schema = routeMeta(context).body;
  if (!schema) throw new Error('ValidBody used on a route without a body schema');
  return parseOrThrow(schema, assertNoNul(context.switchToHttp().getRequest().body ?? {}));
});

/** The query string parsed with the route's `query` schema. */
export const ValidQuery = createParamDecorator((_: unknown, context: ExecutionContext) => {
  const schema = routeMeta(context).query;
  if (!schema) throw new Error('ValidQuery used on a route without a query schema');
  return parseOrThrow(schema, assertNoNul(context.switchToHttp().getRequest().query ?? {}));
});

/** The path parameters parsed with the route's `params` schema. */
export const ValidParams = createParamDecorator((_: unknown, context: ExecutionContext) => {
  const schema = routeMeta(context).params;
  if (!schema) throw new Error('ValidParams used on a route without a params schema');
  return parseOrThrow(schema, assertNoNul(context.switchToHttp().getRequest().params ?? {}));
});
