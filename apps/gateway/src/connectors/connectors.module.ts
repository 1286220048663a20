import { Module } from '@nestjs/common';
import { AdminServicesController } from './admin-services.controller.js';
import { ServicesController } from './services.controller.js';

/** Gateway routes of connectors (issue 18): /admin/services and /services. */
@Module({ controllers: [AdminServicesController, ServicesController] })
export class ConnectorsGatewayModule {}
