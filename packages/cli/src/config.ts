// The only place the CLI reads its environment.
import os from 'node:os';
import path from 'node:path';

export interface CliEnvironment {
  /** LOCKWELL_URL: the server, unless --url says otherwise. */
  url?: string;
  /** LOCKWELL_TOKEN: an API token that takes precedence over any stored login (for CI and containers). */
  token?: string;
  /** $XDG_CONFIG_HOME/lockwell, or ~/.config/lockwell. */
  configDir: string;
  /** The whole environment, which `lockwell run` hands down to its command. */
  inherited: NodeJS.ProcessEnv;
}

export function readEnvironment(env: NodeJS.ProcessEnv = process.env): CliEnvironment {
  const base =
    env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME)
      ? env.XDG_CONFIG_HOME
      : path.join(env.HOME || os.homedir(), '.config');
  return {
    url: env.LOCKWELL_URL || undefined,
    token: env.LOCKWELL_TOKEN || undefined,
    configDir: path.join(base, 'lockwell'),
    inherited: env,
  };
}

export const DEFAULT_URL = 'http://127.0.0.1:8080';
