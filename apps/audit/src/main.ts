import 'reflect-metadata';
import { createLogger, loadConfigOrExit, runService } from '@lockwell/service-kit';
import { AppModule } from './app.module.js';
import { configSchema } from './config.js';

const config = loadConfigOrExit(configSchema);
const logger = createLogger('audit', config.LOG_LEVEL);
await runService({ name: 'audit', config, module: AppModule.register({ config, logger }), logger });
