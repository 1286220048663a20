import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { HttpErrorEnvelope } from '@lockwell/contracts';
import { LOCKWELL_VERSION } from '@lockwell/service-kit';
import { z } from 'zod';
import { API_ROUTE, type ApiRouteMeta } from './api-route.decorator.js';

type JsonSchema = Record<string, unknown>;
type Controller = { prototype: object };

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
};

const joinPath = (...parts: string[]) =>
  '/' +
  parts
    .flatMap((p) => p.split('/'))
    .filter(Boolean)
    .join('/')
    .replace(/:([A-Za-z_]+)/g, '{$1}');

const ERROR_RESPONSES = {
  '400': 'Invalid input (VALIDATION_FAILED lists each field)',
  '401': 'Missing, malformed, expired or revoked credentials',
  '403': 'Authenticated but not allowed',
  '404': 'Not found, or not visible to the caller',
  '409': 'Conflicts with the current state (duplicate, last owner, tenant being deleted, …)',
  '429': 'Rate limited (see Retry-After)',
  '503': 'A dependency did not answer in time',
};

/** Builds OpenAPI 3.1 from the controllers' Nest routing metadata and their @ApiRoute contracts. */
export function buildOpenApiDocument(controllers: Controller[], serverUrl?: string): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const controller of controllers) {
    const base = (Reflect.getMetadata(PATH_METADATA, controller) as string | undefined) ?? '';
    const proto = controller.prototype as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(proto)) {
      const handler = proto[name];
      if (typeof handler !== 'function' || name === 'constructor') continue;
      const meta = Reflect.getMetadata(API_ROUTE, handler) as ApiRouteMeta | undefined;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (!meta || meta.hidden || method === undefined) continue;
      const sub = (Reflect.getMetadata(PATH_METADATA, handler) as string | undefined) ?? '';
      const route = joinPath(base, sub);
      const parameters: unknown[] = [];
      for (const [where, schema] of [
        ['path', meta.params],
        ['query', meta.query],
      ] as const) {
        if (!schema) continue;
        for (const [pname, pschema] of Object.entries(schema.shape)) {
          parameters.push({
            name: pname,
            in: where,
            required: where === 'path' || !(pschema as z.ZodType).safeParse(undefined).success,
            schema: jsonSchema(pschema as z.ZodType, 'input'),
          });
        }
      }
      const status = String(meta.status ?? (method === RequestMethod.POST ? 201 : 200));
      const operation: Record<string, unknown> = {
        summary: meta.summary,
        tags: [meta.tag],
        operationId: `${(controller as unknown as { name: string }).name}_${name}`,
        parameters,
        responses: {
          [status]: meta.response
            ? {
                description: 'Success',
                content: { [meta.contentType ?? 'application/json']: { schema: jsonSchema(meta.response, 'output') } },
              }
            : { description: 'Success' },
          ...Object.fromEntries(
            Object.entries(ERROR_RESPONSES).map(([s, d]) => [
              s,
              { description: d, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
            ]),
          ),
        },
        ...(meta.public ? { security: [] } : {}),
      };
      if (meta.body)
        operation.requestBody = {
          required: true,
          content: { 'application/json': { schema: jsonSchema(meta.body, 'input') } },
        };
      paths[route] ??= {};
      paths[route][RequestMethod[method].toLowerCase()] = operation;
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Lockwell API',
      version: LOCKWELL_VERSION,
      description:
        'Self-hosted multi-tenant secrets manager. Paths and fields follow the Hexel Secret Manager API; extensions are marked in their summaries.',
    },
    servers: serverUrl ? [{ url: serverUrl }] : [],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'An access JWT from /api/v1/auth/login, or an API token (lw_...)',
        },
      },
      schemas: { Error: jsonSchema(HttpErrorEnvelope, 'output') },
    },
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
  };
}
