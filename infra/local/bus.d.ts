import type { BusFiles, BusKey } from './index.js';
export function writeBus(
  dir: string,
  opts: {
    port: number;
    host?: string;
    storeDir: string;
    observer?: boolean;
    tls?: { caFile?: string; certFile: string; keyFile: string; verify?: boolean };
    logFile?: string;
    monitorPort?: number;
  },
): BusFiles;
export function busEnvFiles(
  bus: BusFiles,
  identity: string,
): { LOCKWELL_NATS_SEED_FILE: string; LOCKWELL_BUS_KEYS_FILE: string };
export function busKeysSpec(keys: Record<string, BusKey>): string;
export function createBusKey(): BusKey;
export function createBusKeys(extra?: string[]): Record<string, BusKey>;
export function natsServerConfig(opts: {
  host?: string;
  port: number;
  storeDir: string;
  keys: Record<string, BusKey>;
  observer?: boolean;
  tls?: { caFile?: string; certFile: string; keyFile: string; verify?: boolean };
  logFile?: string;
  monitorPort?: number;
}): string;
export function writePrivateFile(file: string, content: string): void;
export const OBSERVER_PERMISSIONS: { publish: string[]; subscribe: string[]; respond: boolean };
