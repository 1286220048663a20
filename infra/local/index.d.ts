export type PostgresDurability = 'durable' | 'fast';
export interface PostgresHandle { kind: 'system' | 'embedded'; port: number; dir: string; durability: PostgresDurability; url(db: string): string; stop(): Promise<void> }
export interface NatsHandle { port: number; dir: string; url: string; child: import('node:child_process').ChildProcess; stop(): Promise<void> }
export function freePort(): Promise<number>;
export function waitForPort(port: number, timeoutMs?: number): Promise<void>;
export function startPostgres(opts: { dir: string; port: number; durability?: PostgresDurability; log?: (m: string) => void }): Promise<PostgresHandle>;
export function crashPostgres(dir: string): Promise<number>;
export function postgresBinDir(): string | null;
export function stopPostgres(dir: string): void;
export function natsServerBin(): string | null;
export function ensureNatsServer(log?: (m: string) => void): string;
export function startNats(opts: { dir: string; port: number; log?: (m: string) => void }): Promise<NatsHandle>;
export function killStaleNats(dir: string): void;
export const SERVICES: string[];
export function databaseName(service: string): string;
