export interface PostgresHandle { kind: 'system' | 'embedded'; port: number; url(db: string): string; stop(): Promise<void> }
export interface NatsHandle { port: number; url: string; stop(): Promise<void> }
export function freePort(): Promise<number>;
export function waitForPort(port: number, timeoutMs?: number): Promise<void>;
export function startPostgres(opts: { dir: string; port: number; log?: (m: string) => void }): Promise<PostgresHandle>;
export function stopPostgres(dir: string): void;
export function natsServerBin(): string | null;
export function ensureNatsServer(log?: (m: string) => void): string;
export function chromiumBin(): string | null;
export function ensureChromium(log?: (m: string) => void): string;
export function startNats(opts: { dir: string; port: number; log?: (m: string) => void }): Promise<NatsHandle>;
export function killStaleNats(dir: string): void;
export const SERVICES: string[];
export function databaseName(service: string): string;
