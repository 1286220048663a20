export type PostgresDurability = 'durable' | 'fast';
export interface PostgresHandle {
  kind: 'system' | 'embedded';
  port: number;
  dir: string;
  durability: PostgresDurability;
  url(db: string): string;
  stop(): Promise<void>;
}
export interface BusKey {
  seed: string;
  publicKey: string;
}
export interface BusFiles {
  dir: string;
  configFile: string;
  keys: Record<string, BusKey>;
  keysSpec: string;
  seedFiles: Record<string, string>;
  keysFile: string;
  tls?: { caFile: string; certFile: string; keyFile: string };
  monitorPort?: number;
}
export interface NatsHandle {
  port: number;
  dir: string;
  url: string;
  child: import('node:child_process').ChildProcess;
  bus: BusFiles;
  /** nats-server's monitoring endpoint (tests that asked for one: startNats({ monitorPort })). */
  monitorUrl?: string;
  stop(): Promise<void>;
}
export function freePort(): Promise<number>;
export function waitForPort(port: number, timeoutMs?: number): Promise<void>;
export function startPostgres(opts: {
  dir: string;
  port: number;
  durability?: PostgresDurability;
  log?: (m: string) => void;
}): Promise<PostgresHandle>;
export function crashPostgres(dir: string): Promise<number>;
export function postgresBinDir(): string | null;
export function stopPostgres(dir: string): void;
export function natsServerBin(): string | null;
export function ensureNatsServer(log?: (m: string) => void): string;
export function chromiumBin(): string | null;
export function ensureChromium(log?: (m: string) => void): string;
export function startNats(opts: {
  dir: string;
  port: number;
  log?: (m: string) => void;
  observer?: boolean;
  tls?: { hosts?: string[] };
  monitorPort?: number;
}): Promise<NatsHandle>;
export function restartNats(handle: NatsHandle, opts?: { log?: (m: string) => void }): Promise<NatsHandle>;
export function killStaleNats(dir: string): void;
export function databaseName(service: string): string;
export function parseReplicas<N extends string>(spec: string | undefined, names: readonly N[]): Record<N, number>;
