import { UsageError } from '../cli-error.js';
import { printJson } from '../io/output.js';
import { GLOBAL_HELP, type Command } from './command.js';

export const tokenCommand: Command = {
  name: 'token',
  summary: 'print a fresh access token of a brokered OAuth connection',
  help: `usage: lockwell token CONNECTION_ID
Prints the connection's current access token (refreshed by Lockwell first when it is near expiry), for scripts:
  curl -H "Authorization: Bearer $(lockwell token 3f0c…)" https://api.example.com/…
--json prints {access_token, token_type, expires_at, …}. The refresh token never leaves the server.
${GLOBAL_HELP}`,
  async run(ctx, { positionals }) {
    if (positionals.length !== 1) throw new UsageError('give exactly one CONNECTION_ID');
    const token = await ctx.client().getConnectionToken(positionals[0]);
    if (ctx.json) printJson(token);
    else process.stdout.write(`${token.access_token}\n`);
    return 0;
  },
};
