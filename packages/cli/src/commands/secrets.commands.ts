// secrets list | get | set | rm | versions | rollback, for tenant secrets (--tenant) and personal ones.
import { LockwellError, unwrap, type LockwellClient } from '@lockwell/sdk';
import { UsageError } from '../cli-error.js';
import { printJson, printTable } from '../io/output.js';
import { readValue } from '../io/prompt.js';
import { GLOBAL_HELP, SCOPE_OPTIONS, str, type Command } from './command.js';
import { locate, parseRef, withoutValue, type ParsedRef } from './secret-ref.js';

const REF_HELP = `SECRET is SERVICE/KEY (split at the first "/") or a secret id.
  -t, --tenant T   a tenant's secrets (its slug or id); without it, your personal secrets
  -e, --env E      the environment (by name: required only when several environments hold SERVICE/KEY)`;

export const secretsList: Command = {
  name: 'secrets list',
  summary: 'list secrets (metadata only, never values)',
  help: `usage: lockwell secrets list [--tenant T] [--env E] [--service S]
  -t, --tenant T   a tenant's secrets (slug or id); without it, your personal secrets
  -e, --env E      only this environment
  -s, --service S  only this service
${GLOBAL_HELP}`,
  options: SCOPE_OPTIONS,
  async run(ctx, { values, positionals }) {
    if (positionals.length) throw new UsageError(`unexpected argument: ${positionals[0]}`);
    const items = await ctx
      .client()
      .listSecrets({ tenant: str(values, 'tenant'), environment: str(values, 'env'), service: str(values, 'service') });
    if (ctx.json) printJson(items);
    else
      printTable(
        ['SERVICE', 'KEY', 'ENV', 'TYPE', 'VERSION', 'STATUS', 'ID'],
        items.map((s) => [s.service_name, s.secret_key_name, s.environment, s.type, s.version, s.status, s.id]),
      );
    return 0;
  },
};

export const secretsGet: Command = {
  name: 'secrets get',
  summary: "print a secret's value",
  help: `usage: lockwell secrets get SECRET [--tenant T] [--env E] [--version N] [--raw]
Prints the value followed by a line break (--raw: exactly the value); --json prints the whole secret with its value.
${REF_HELP}
  --version N      an older version
  --raw            no trailing line break
${GLOBAL_HELP}`,
  options: {
    tenant: SCOPE_OPTIONS.tenant,
    env: SCOPE_OPTIONS.env,
    version: { type: 'string' },
    raw: { type: 'boolean' },
  },
  async run(ctx, { values, positionals }) {
    const ref = parseRef(positionals, values);
    const version = optionalVersion(str(values, 'version'));
    const client = ctx.client();
    const secret = ref.id
      ? await client.getSecret({ id: ref.id, personal: ref.tenant === undefined, version })
      : await client.getSecret({
          service: ref.service!,
          key: ref.key!,
          tenant: ref.tenant,
          environment: ref.environment,
          version,
        });
    if (ctx.json) printJson(secret);
    else process.stdout.write(`${secret.secret_value ?? ''}${values.raw ? '' : '\n'}`);
    return 0;
  },
};

export const secretsSet: Command = {
  name: 'secrets set',
  summary: 'create or update a secret; the value comes from stdin, --file or a hidden prompt',
  help: `usage: printf %s "$VALUE" | lockwell secrets set SERVICE/KEY [--tenant T] [--env E] [--description D]
       lockwell secrets set SECRET --file PATH [...]
       lockwell secrets set SERVICE/KEY --dotenv --file .env [...]
Never takes the value as an argument (it would land in shell history). From stdin, one final line break is
dropped; --file is read exactly. Updating makes a new version. Prints the metadata, never the value.
${REF_HELP}
                   (a new secret goes to --env, or to the server's default: production)
  --file PATH      read the value from this file
  --dotenv         the value is KEY=VALUE lines: stored as a key_value secret, exported as its own variables
  --description D  a description (new secrets only)
${GLOBAL_HELP}`,
  options: {
    tenant: SCOPE_OPTIONS.tenant,
    env: SCOPE_OPTIONS.env,
    file: { type: 'string' },
    dotenv: { type: 'boolean' },
    description: { type: 'string' },
  },
  async run(ctx, { values, positionals }) {
    const ref = parseRef(positionals, values);
    const client = ctx.client();
    const existing = await locate(client, ref).catch((err: unknown) => {
      if (!ref.id && err instanceof LockwellError && err.code === 'SECRET_NOT_FOUND') return undefined;
      throw err;
    });
    const value = await readValue(str(values, 'file'), 'Value');
    if (!value) throw new UsageError('empty value: nothing stored');
    const payload = values.dotenv ? { data: { dotenv: value } } : { secret_value: value };
    const saved = existing
      ? await update(client, existing.id, existing.personal, payload)
      : await create(client, ref, payload, values.dotenv === true, str(values, 'description'));
    if (ctx.json) printJson(withoutValue(saved));
    else
      process.stdout.write(
        `${existing ? 'Updated' : 'Created'} ${saved.service_name}/${saved.secret_key_name} in ${saved.environment} (version ${saved.version}, id ${saved.id})\n`,
      );
    return 0;
  },
};

export const secretsRm: Command = {
  name: 'secrets rm',
  summary: 'schedule a secret for deletion (or delete it now with --now)',
  help: `usage: lockwell secrets rm SECRET [--tenant T] [--env E] [--now]
By default the secret is scheduled for deletion (recoverable until then with
POST /api/v1/{tenant,user}-secrets/{id}/cancel-deletion); --now destroys it at once, irreversibly.
${REF_HELP}
  --now            delete now, irreversibly
${GLOBAL_HELP}`,
  options: { tenant: SCOPE_OPTIONS.tenant, env: SCOPE_OPTIONS.env, now: { type: 'boolean' } },
  async run(ctx, { values, positionals }) {
    const ref = parseRef(positionals, values);
    const client = ctx.client();
    const { id, personal } = await locate(client, ref);
    const params = { path: { secret_id: id }, query: { mode: values.now ? ('now' as const) : ('schedule' as const) } };
    const result = personal
      ? await unwrap(client.api.DELETE('/api/v1/user-secrets/{secret_id}', { params }))
      : await unwrap(client.api.DELETE('/api/v1/tenant-secrets/{secret_id}', { params }));
    if (ctx.json) printJson(result);
    else if (values.now) process.stdout.write(`Deleted ${ref.label}\n`);
    else process.stdout.write(`Scheduled ${ref.label} for deletion at ${result.deletion_scheduled_at ?? '?'}\n`);
    return 0;
  },
};

export const secretsVersions: Command = {
  name: 'secrets versions',
  summary: "list a secret's versions (metadata only)",
  help: `usage: lockwell secrets versions SECRET [--tenant T] [--env E]
${REF_HELP}
${GLOBAL_HELP}`,
  options: { tenant: SCOPE_OPTIONS.tenant, env: SCOPE_OPTIONS.env },
  async run(ctx, { values, positionals }) {
    const ref = parseRef(positionals, values);
    const client = ctx.client();
    const { id, personal } = await locate(client, ref);
    const items = [];
    let cursor: string | undefined;
    do {
      const params = { path: { secret_id: id }, query: { limit: 200, cursor } };
      const page = personal
        ? await unwrap(client.api.GET('/api/v1/user-secrets/{secret_id}/versions', { params }))
        : await unwrap(client.api.GET('/api/v1/tenant-secrets/{secret_id}/versions', { params }));
      items.push(...page.items);
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    if (ctx.json) printJson(items);
    else
      printTable(
        ['VERSION', 'CURRENT', 'CREATED', 'CREATED BY'],
        items.map((v) => [v.version, v.current ? 'yes' : '', v.created_at, v.created_by]),
      );
    return 0;
  },
};

export const secretsRollback: Command = {
  name: 'secrets rollback',
  summary: "make an older version's value current again (as a new version)",
  help: `usage: lockwell secrets rollback SECRET --version N [--tenant T] [--env E]
${REF_HELP}
  --version N      the version whose value becomes current
${GLOBAL_HELP}`,
  options: { tenant: SCOPE_OPTIONS.tenant, env: SCOPE_OPTIONS.env, version: { type: 'string' } },
  async run(ctx, { values, positionals }) {
    const ref = parseRef(positionals, values);
    const version = optionalVersion(str(values, 'version'));
    if (version === undefined) throw new UsageError('--version N is required');
    const client = ctx.client();
    const { id, personal } = await locate(client, ref);
    const args = { params: { path: { secret_id: id } }, body: { version } };
    const saved = personal
      ? await unwrap(client.api.POST('/api/v1/user-secrets/{secret_id}/rollback', args))
      : await unwrap(client.api.POST('/api/v1/tenant-secrets/{secret_id}/rollback', args));
    if (ctx.json) printJson(withoutValue(saved));
    else
      process.stdout.write(
        `Rolled ${ref.label} back to the value of version ${version}: now version ${saved.version}\n`,
      );
    return 0;
  },
};

function optionalVersion(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^[1-9][0-9]{0,8}$/.test(raw)) throw new UsageError('--version takes a positive whole number');
  return Number(raw);
}

type Payload = { secret_value: string } | { data: { dotenv: string } };

async function update(client: LockwellClient, id: string, personal: boolean, body: Payload) {
  const args = { params: { path: { secret_id: id } }, body };
  return personal
    ? unwrap(client.api.PUT('/api/v1/user-secrets/{secret_id}', args))
    : unwrap(client.api.PUT('/api/v1/tenant-secrets/{secret_id}', args));
}

async function create(
  client: LockwellClient,
  ref: ParsedRef,
  payload: Payload,
  dotenv: boolean,
  description: string | undefined,
) {
  if (ref.id) throw new UsageError('a new secret needs SERVICE/KEY, not an id');
  const body = {
    service_name: ref.service!,
    secret_key_name: ref.key!,
    environment: ref.environment,
    description,
    ...(dotenv ? { type: 'key_value' as const } : {}),
    ...payload,
  };
  if (ref.tenant === undefined) return unwrap(client.api.POST('/api/v1/user-secrets', { body }));
  return unwrap(
    client.api.POST('/api/v1/tenant-secrets', {
      body: { ...body, tenant_id: await client.resolveTenantId(ref.tenant) },
    }),
  );
}
