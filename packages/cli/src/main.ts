#!/usr/bin/env node
// lockwell: the command line of Lockwell (docs/cli.md lists every command).
import { parseArgs } from 'node:util';
import { CliError, reportError, UsageError } from './cli-error.js';
import { GLOBAL_HELP, GLOBAL_OPTIONS, type Command } from './commands/command.js';
import { login, logout, whoami } from './commands/auth.commands.js';
import { exportCommand, runCommand } from './commands/env.commands.js';
import {
  secretsGet,
  secretsList,
  secretsRm,
  secretsRollback,
  secretsSet,
  secretsVersions,
} from './commands/secrets.commands.js';
import { tenantsList } from './commands/tenants.commands.js';
import { tokenCommand } from './commands/token.command.js';
import { readEnvironment, DEFAULT_URL } from './config.js';
import { createContext } from './context.js';

const COMMANDS: Command[] = [
  login,
  logout,
  whoami,
  tenantsList,
  secretsList,
  secretsGet,
  secretsSet,
  secretsRm,
  secretsVersions,
  secretsRollback,
  exportCommand,
  runCommand,
  tokenCommand,
];
const VERSION = '0.1.0';

const OVERVIEW = `usage: lockwell COMMAND [options]        lockwell COMMAND --help for its options

commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(18)} ${c.summary}`).join('\n')}

environment: LOCKWELL_URL (server), LOCKWELL_TOKEN (an API token; takes precedence over a stored login),
XDG_CONFIG_HOME (credentials in $XDG_CONFIG_HOME/lockwell/credentials.json, else ~/.config/lockwell/).
Server-side key rotation is an operator command on the server host: npm run lockwell -- rotate-master-key.
options of every command:
${GLOBAL_HELP}`;

async function main(argv: string[]): Promise<number> {
  const dashdash = argv.indexOf('--');
  const head = dashdash >= 0 ? argv.slice(0, dashdash) : argv;
  const rest = dashdash >= 0 ? argv.slice(dashdash + 1) : [];
  const { command, args } = selectCommand(head);
  const env = readEnvironment();
  let url = DEFAULT_URL;
  let json = head.includes('--json');
  try {
    if (command === 'version') {
      process.stdout.write(`${VERSION}\n`);
      return 0;
    }
    if (!command) {
      const help = head.length === 0 || head.includes('--help') || head.includes('-h') || head[0] === 'help';
      process[help ? 'stdout' : 'stderr'].write(
        `${
          help
            ? ''
            : `lockwell: unknown command: ${head
                .filter((a) => !a.startsWith('-'))
                .slice(0, 2)
                .join(' ')}\n`
        }${OVERVIEW}\n`,
      );
      return help ? 0 : 2;
    }
    let parsed;
    try {
      parsed = parseArgs({
        args,
        options: { ...GLOBAL_OPTIONS, ...command.options },
        allowPositionals: true,
        strict: true,
      });
    } catch (err) {
      throw new UsageError((err as Error).message.replace(/\. To specify a positional argument.*$/s, ''));
    }
    if (parsed.values.help) {
      process.stdout.write(`${command.help}\n`);
      return 0;
    }
    const ctx = createContext(env, { url: parsed.values.url as string | undefined, json: parsed.values.json === true });
    url = ctx.url;
    json = ctx.json;
    return await command.run(ctx, {
      values: parsed.values as Record<string, string | boolean | undefined>,
      positionals: parsed.positionals,
      rest,
    });
  } catch (err) {
    const code = reportError(err, url, json);
    if (err instanceof UsageError && command && command !== 'version')
      process.stderr.write(`${command.help.split('\n')[0]}\n`);
    return code;
  }
}

/** The command named by the leading words (`secrets get`), skipping global flags placed before it. */
function selectCommand(head: string[]): { command?: Command | 'version'; args: string[] } {
  const words: string[] = [];
  const leading: string[] = [];
  let i = 0;
  for (; i < head.length && words.length < 2; i++) {
    const arg = head[i];
    if (arg === '--version' || arg === '-V') return { command: 'version', args: [] };
    if (arg === '--url') leading.push(arg, head[++i] ?? '');
    else if (arg.startsWith('-')) leading.push(arg);
    else words.push(arg);
    const match = COMMANDS.find((c) => c.name === words.join(' '));
    if (match) return { command: match, args: [...leading, ...head.slice(i + 1)] };
  }
  return { args: head };
}

const exitCode = await main(process.argv.slice(2)).catch((err: unknown) =>
  reportError(err instanceof CliError ? err : new CliError(String(err)), DEFAULT_URL, false),
);
process.exitCode = exitCode;
