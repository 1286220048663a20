// export and run: a tenant's (or your) secrets of one environment as environment variables, named as
// docs/cli.md "Variable names" says; two secrets claiming one name stop the command and are listed.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { UsageError } from '../cli-error.js';
import type { Context } from '../context.js';
import { ENV_FORMATS, formatEnv, type EnvFormat } from '../io/output.js';
import { GLOBAL_HELP, SCOPE_OPTIONS, str, type OptionValues, type Command } from './command.js';

const SELECT_HELP = `  -t, --tenant T   a tenant's secrets (slug or id); without it, your personal secrets
  -e, --env E      the environment (required)
  -s, --service S  only this service's secrets, named KEY instead of SERVICE_KEY`;

const NAMES_HELP = `Names: SERVICE_KEY upper-cased, other characters than A-Z 0-9 _ become _ (openai/api-key -> OPENAI_API_KEY);
with --service just KEY; a key_value secret gives one variable per pair. Secrets scheduled for deletion are left out.`;

async function loadEnv(ctx: Context, values: OptionValues): Promise<Record<string, string>> {
  const environment = str(values, 'env');
  if (!environment) throw new UsageError('--env is required (e.g. --env production)');
  return ctx.client().getSecretsAsEnv({ tenant: str(values, 'tenant'), environment, service: str(values, 'service') });
}

export const exportCommand: Command = {
  name: 'export',
  summary: 'print secrets as dotenv, JSON or YAML',
  help: `usage: lockwell export --env E [--tenant T] [--service S] [--format dotenv|json|yaml]
Prints to stdout (redirect it yourself if you must have a file).
${SELECT_HELP}
  --format F       dotenv (default), json or yaml; --json means --format json
${NAMES_HELP}
${GLOBAL_HELP}`,
  options: { ...SCOPE_OPTIONS, format: { type: 'string', short: 'f' } },
  async run(ctx, { values, positionals }) {
    if (positionals.length) throw new UsageError(`unexpected argument: ${positionals[0]}`);
    const format = (str(values, 'format') ?? (ctx.json ? 'json' : 'dotenv')) as EnvFormat;
    if (!ENV_FORMATS.includes(format)) throw new UsageError(`--format is one of ${ENV_FORMATS.join(', ')}`);
    process.stdout.write(formatEnv(await loadEnv(ctx, values), format));
    return 0;
  },
};

const FORWARDED_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'];
/** Signals whose default action ends the process (Node turns SIGUSR1 into a debugger, so that one is an exit code). */
const SELF_KILL = new Set<NodeJS.Signals>(['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGKILL']);

export const runCommand: Command = {
  name: 'run',
  summary: 'run a command with secrets in its environment',
  help: `usage: lockwell run --env E [--tenant T] [--service S] -- COMMAND [ARGS...]
Starts COMMAND with your environment plus the secrets (secrets win on equal names); nothing is written to disk.
The exit code is COMMAND's; SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1 and SIGUSR2 are passed on to it, and if it
dies of a signal, lockwell dies of the same one.
${SELECT_HELP}
${NAMES_HELP}
${GLOBAL_HELP}`,
  options: SCOPE_OPTIONS,
  async run(ctx, { values, positionals, rest }) {
    if (positionals.length)
      throw new UsageError(`put the command after "--": lockwell run --env E -- ${positionals.join(' ')}`);
    if (rest.length === 0) throw new UsageError('no command given after "--"');
    const secrets = await loadEnv(ctx, values);
    const child = spawn(rest[0], rest.slice(1), { stdio: 'inherit', env: { ...ctx.env.inherited, ...secrets } });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    for (const signal of FORWARDED_SIGNALS) process.on(signal, forward);
    return new Promise<number>((resolve) => {
      child.once('error', (err: NodeJS.ErrnoException) => {
        process.stderr.write(
          `lockwell: cannot start ${rest[0]}: ${err.code === 'ENOENT' ? 'command not found' : err.message}\n`,
        );
        resolve(127);
      });
      child.once('exit', (code, signal) => {
        for (const s of FORWARDED_SIGNALS) process.off(s, forward);
        if (signal && SELF_KILL.has(signal)) {
          // Die the same way, so whoever started lockwell sees what happened to the command.
          process.kill(process.pid, signal);
        }
        resolve(signal ? 128 + (constants.signals[signal] ?? 0) : (code ?? 1));
      });
    });
  },
};
