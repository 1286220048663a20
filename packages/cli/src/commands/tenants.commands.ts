import { unwrap } from '@lockwell/sdk';
import { UsageError } from '../cli-error.js';
import { printJson, printTable } from '../io/output.js';
import { GLOBAL_HELP, type Command } from './command.js';

export const tenantsList: Command = {
  name: 'tenants list',
  summary: 'the tenants you belong to (all of them for installation admins)',
  help: `usage: lockwell tenants list [--mine]
  --mine         only tenants you are a member of (installation admins otherwise see all)
${GLOBAL_HELP}`,
  options: { mine: { type: 'boolean' } },
  async run(ctx, { values, positionals }) {
    if (positionals.length) throw new UsageError(`unexpected argument: ${positionals[0]}`);
    const api = ctx.client().api;
    const items = [];
    let cursor: string | undefined;
    do {
      const page = await unwrap(
        api.GET('/api/v1/tenants', {
          params: { query: { limit: 200, cursor, scope: values.mine ? 'mine' : undefined } },
        }),
      );
      items.push(...page.items);
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    if (ctx.json) printJson(items);
    else
      printTable(
        ['SLUG', 'NAME', 'ROLE', 'STATUS', 'ID'],
        items.map((t) => [t.slug, t.name, t.role, t.status, t.id]),
      );
    return 0;
  },
};
