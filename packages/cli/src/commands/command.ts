import type { ParseArgsConfig } from 'node:util';
import type { Context } from '../context.js';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;
export type OptionValues = Record<string, string | boolean | undefined>;

export interface Command {
  /** The words that select it: `secrets get`. */
  name: string;
  summary: string;
  /** The usage line(s) and the options, as --help shows them. */
  help: string;
  options?: OptionSpec;
  /** Runs it; resolves to the process's exit code. `rest` holds what followed `--`. */
  run(ctx: Context, args: { values: OptionValues; positionals: string[]; rest: string[] }): Promise<number>;
}

/** Options shared by every command. */
export const GLOBAL_OPTIONS: OptionSpec = {
  url: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

export const GLOBAL_HELP = `  --url URL      the Lockwell server (default: LOCKWELL_URL, else the last login's, else http://127.0.0.1:8080)
  --json         machine-readable output on stdout (errors as JSON on stderr)
  -h, --help     this help`;

/** Selection of secrets shared by the secrets commands, export and run. */
export const SCOPE_OPTIONS: OptionSpec = {
  tenant: { type: 'string', short: 't' },
  env: { type: 'string', short: 'e' },
  service: { type: 'string', short: 's' },
};

export const str = (values: OptionValues, name: string): string | undefined => {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
};
