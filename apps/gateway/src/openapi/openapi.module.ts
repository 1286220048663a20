import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { DocsController } from './docs.controller.js';

/**
 * The OpenAPI document, built from every controller's @ApiRoute, and Swagger UI under /docs. Exports nothing;
 * the decorators in api-route.decorator.ts are plain functions every feature imports.
 */
@Module({ imports: [DiscoveryModule], controllers: [DocsController] })
export class OpenApiModule {}
