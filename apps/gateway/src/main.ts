import 'reflect-metadata';
import { createLogger, loadConfigOrExit } from '@lockwell/service-kit';
import { createGateway } from './bootstrap.js';
import { configSchema } from './config.js';

const config = loadConfigOrExit(configSchema);
const logger = createLogger('gateway', config.LOG_LEVEL);
try {
  const app = await createGateway(config, logger);
  await app.listen(config.LOCKWELL_PORT, config.LOCKWELL_HOST);
  logger.info(`gateway listening on http://${config.LOCKWELL_HOST}:${config.LOCKWELL_PORT}`);
} catch (err) {
  logger.fatal({ err }, `gateway failed to start: ${(err as Error).message}`);
  process.exit(1);
}
