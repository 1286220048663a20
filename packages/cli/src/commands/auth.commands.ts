// login, logout, whoami.
import { LockwellClient, loginWithPassword, unwrap } from '@lockwell/sdk';
import { CliError, UsageError } from '../cli-error.js';
import type { StoredLogin } from '../credentials/credentials-file.js';
import { withFileLock } from '../credentials/file-lock.js';
import type { Context } from '../context.js';
import { ask, readStdin, readStdinLine, stdinIsTerminal } from '../io/prompt.js';
import { printJson } from '../io/output.js';
import { GLOBAL_HELP, str, type Command } from './command.js';

export const login: Command = {
  name: 'login',
  summary: 'log in with email and password, or store an API token',
  help: `usage: lockwell login [--email EMAIL]      password prompted without echo, or the first line of stdin
       lockwell login --token                API token prompted without echo, or read from stdin

Stores the session (refresh token) or the API token in $XDG_CONFIG_HOME/lockwell/credentials.json
(~/.config/lockwell/credentials.json), mode 0600, for this server; it is never printed.
  --email EMAIL  the account (prompted when stdin is a terminal)
  --token        log in with an API token (lw_…) instead of a password
${GLOBAL_HELP}`,
  options: { email: { type: 'string' }, token: { type: 'boolean' } },
  async run(ctx, { values, positionals }) {
    if (positionals.length) throw new UsageError(`unexpected argument: ${positionals[0]}`);
    if (values.token) {
      if (values.email) throw new UsageError('--token and --email exclude each other');
      const token = (
        stdinIsTerminal() ? (ctx.env.token ?? (await ask('API token: ', { hidden: true }))) : await readStdin()
      ).trim();
      if (!token) throw new UsageError('no API token given');
      const me = await unwrap(
        new LockwellClient({ baseUrl: ctx.url, credentials: { apiToken: token } }).api.GET('/api/v1/users/me', {}),
      );
      await saveLogin(ctx, { type: 'api_token', token });
      return done(ctx, me.email, 'API token');
    }
    const email = str(values, 'email') ?? (stdinIsTerminal() ? await ask('Email: ') : undefined);
    if (!email) throw new UsageError('--email is required when stdin is not a terminal');
    const password = stdinIsTerminal() ? await ask('Password: ', { hidden: true }) : await readStdinLine();
    if (!password) throw new UsageError('no password given');
    const tokens = await loginWithPassword({ baseUrl: ctx.url, email, password });
    await endPreviousSession(ctx);
    await saveLogin(ctx, {
      type: 'session',
      email,
      refresh_token: tokens.refreshToken,
      access_token: tokens.accessToken,
      access_token_expires_at: tokens.accessTokenExpiresAt,
    });
    return done(ctx, email, 'session');
  },
};

export const logout: Command = {
  name: 'logout',
  summary: 'end the session on the server and forget the stored credentials',
  help: `usage: lockwell logout

Ends the stored session on the server (POST /auth/logout: its access tokens stop working) and removes it from
the credentials file. A stored API token is only forgotten: it stays valid until it expires or is revoked.
${GLOBAL_HELP}`,
  async run(ctx) {
    const stored = ctx.credentials.login(ctx.url);
    if (!stored) throw new CliError(`not logged in to ${ctx.url}`, 'NOT_LOGGED_IN');
    let warning = '';
    if (stored.type === 'session') {
      try {
        await unwrap(ctx.storedClient().api.POST('/api/v1/auth/logout', { body: {} }));
      } catch (err) {
        warning = `the server could not be told (${(err as Error).message}); the session ends by itself when it expires`;
      }
    }
    await withFileLock(`${ctx.credentials.path}.lock`, async () =>
      ctx.credentials.update((data) => {
        delete data.servers[ctx.url];
        if (data.current === ctx.url) delete data.current;
      }),
    );
    if (warning) process.stderr.write(`lockwell: ${warning}\n`);
    if (ctx.json) printJson({ logged_out: ctx.url });
    else
      process.stdout.write(
        `Logged out of ${ctx.url}${stored.type === 'api_token' ? ' (the API token itself stays valid)' : ''}\n`,
      );
    return 0;
  },
};

export const whoami: Command = {
  name: 'whoami',
  summary: 'show who you are logged in as, where, and how',
  help: `usage: lockwell whoami
${GLOBAL_HELP}`,
  async run(ctx) {
    const me = await unwrap(ctx.client().api.GET('/api/v1/users/me', {}));
    const via = ctx.authKind();
    if (ctx.json) {
      printJson({
        server: ctx.url,
        via,
        id: me.id,
        email: me.email,
        full_name: me.full_name,
        roles: me.roles.map((r) => r.name),
      });
      return 0;
    }
    const rows: Array<[string, string]> = [
      ['email', me.email],
      ['name', me.full_name],
      ['user id', me.id],
      ['roles', me.roles.map((r) => r.name).join(', ') || '-'],
      ['server', ctx.url],
      [
        'via',
        via === 'LOCKWELL_TOKEN'
          ? 'API token from LOCKWELL_TOKEN'
          : via === 'api_token'
            ? 'stored API token'
            : 'login session',
      ],
    ];
    process.stdout.write(rows.map(([k, v]) => `${k.padEnd(8)} ${v}\n`).join(''));
    return 0;
  },
};

async function saveLogin(ctx: Context, login: StoredLogin) {
  await withFileLock(`${ctx.credentials.path}.lock`, async () =>
    ctx.credentials.update((data) => {
      data.servers[ctx.url] = login;
      data.current = ctx.url;
    }),
  );
}

/** A second login to the same server replaces the first: end the old session instead of leaving it alive. */
async function endPreviousSession(ctx: Context) {
  const previous = ctx.credentials.login(ctx.url);
  if (previous?.type !== 'session') return;
  await ctx
    .storedClient()
    .api.POST('/api/v1/auth/logout', { body: {} })
    .catch(() => undefined);
}

function done(ctx: Context, email: string, kind: string): number {
  if (ctx.json) printJson({ server: ctx.url, email, via: kind });
  else process.stdout.write(`Logged in to ${ctx.url} as ${email} (${kind})\n`);
  return 0;
}
