import { defineServiceConfig } from '@lockwell/service-kit';
import type { z } from 'zod';

/** The vault service's settings; the only place it reads the environment (see README "Configuration"). */
export const configSchema = defineServiceConfig({});
export type Config = z.output<typeof configSchema>;
