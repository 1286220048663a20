import { Module } from '@nestjs/common';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GATEWAY_CONFIG, type Config } from '../config.js';
import { ConsoleAssets } from './console-assets.js';
import { ConsoleController } from './console.controller.js';
import { CONSOLE_ASSETS } from './console.constants.js';
import { ConsoleSessionController } from './console-session.controller.js';
import { ConsoleOriginGuard } from './console-origin.guard.js';
import { AuthModule } from '../auth/auth.module.js';

/** apps/console/dist, seen from apps/gateway/{src,dist}/console/. */
const DEFAULT_CONSOLE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../console/dist');

/** The web console: its files under `/` and its cookie session routes under /api/v1/auth/console. */
@Module({
  imports: [AuthModule],
  controllers: [ConsoleSessionController, ConsoleController],
  providers: [
    ConsoleOriginGuard,
    {
      provide: CONSOLE_ASSETS,
      inject: [GATEWAY_CONFIG],
      useFactory: (config: Config) => new ConsoleAssets(config.LOCKWELL_CONSOLE_DIR ?? DEFAULT_CONSOLE_DIR),
    },
  ],
})
export class ConsoleGatewayModule {}
