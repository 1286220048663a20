// The limit beside us: the irreducible work of a secret read in one Node process. Fastify, one indexed
// PostgreSQL select by primary key, one AES-256-GCM decrypt, no authentication, no bus, no audit record.
// Lockwell's read path does strictly more (auth, NATS, access and audit records), so this is the ceiling
// the headline scenario is reported against (docs/benchmarks.md).
// usage: node bench/limit-server.mjs --database-url URL --port N --ids-out FILE
// Creates its own table in the given database, seeds 200 encrypted rows, writes their ids to FILE, serves
// GET /secrets/:id until SIGTERM.
import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import Fastify from 'fastify';
import pg from 'pg';

const { values: args } = parseArgs({
  options: { 'database-url': { type: 'string' }, port: { type: 'string' }, 'ids-out': { type: 'string' } },
});
const key = randomBytes(32);
const pool = new pg.Pool({ connectionString: args['database-url'], max: 10 });

function seal(plain) {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return { iv, ct, tag: cipher.getAuthTag() };
}

function open({ iv, ct, tag }) {
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(ct), decipher.final()]).toString('utf8');
}

await pool.query('drop table if exists limit_secrets');
await pool.query(
  'create table limit_secrets (id uuid primary key, iv bytea not null, ct bytea not null, tag bytea not null)',
);
const ids = [];
for (let i = 0; i < 200; i++) {
  const id = randomUUID();
  const { iv, ct, tag } = seal(`limit-value-${i}-${randomBytes(16).toString('hex')}`);
  await pool.query('insert into limit_secrets (id, iv, ct, tag) values ($1, $2, $3, $4)', [id, iv, ct, tag]);
  ids.push(id);
}
await pool.query('analyze limit_secrets');
writeFileSync(args['ids-out'], JSON.stringify(ids));

const app = Fastify({ logger: false });
app.get('/secrets/:id', async (req, reply) => {
  const { rows } = await pool.query({
    name: 'read',
    text: 'select iv, ct, tag from limit_secrets where id = $1',
    values: [req.params.id],
  });
  if (!rows.length) return reply.code(404).send({ error: 'NOT_FOUND' });
  return { id: req.params.id, secret_value: open(rows[0]) };
});
await app.listen({ port: Number(args.port), host: '127.0.0.1' });
process.on('SIGTERM', async () => {
  await app.close();
  await pool.end();
  process.exit(0);
});
