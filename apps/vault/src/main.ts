import 'reflect-metadata';
import { runServiceMain } from '@lockwell/service-kit';
import { service } from './app.module.js';

await runServiceMain(service);
