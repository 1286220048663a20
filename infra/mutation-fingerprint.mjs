// usage: node infra/mutation-fingerprint.mjs <target>   (used by infra/mutation.sh --changed)
// Prints a SHA-256 over everything a mutation target's result depends on: the files it mutates, every test
// file of its workspace, its jest configuration and the Stryker configuration. Equal to the fingerprint
// committed beside the target's report, the committed result still holds and the target is not re-run.
// Code is hashed as Prettier prints it, so reformatting (npm run format) moves no fingerprint.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import prettier from 'prettier';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function walk(dir, keep) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (name === 'node_modules' || name === 'dist') return [];
    return statSync(full).isDirectory() ? walk(full, keep) : keep(full) ? [full] : [];
  });
}

/** The file as Prettier prints it (code), or as it is (anything else). */
async function formatted(file) {
  const text = readFileSync(file, 'utf8');
  if (!/\.(ts|tsx|js|mjs|cjs)$/.test(file)) return text;
  return prettier.format(text, { ...(await prettier.resolveConfig(file)), filepath: file });
}

export async function fingerprint(target) {
  process.env.STRYKER_TARGET = target;
  const { TARGETS } = await import(path.join(root, 'stryker.config.mjs'));
  const t = TARGETS[target];
  if (!t) throw new Error(`unknown mutation target ${target}`);
  const ws = path.join(root, t.workspace);
  const files = [
    ...t.mutate.map((f) => path.join(ws, f.replace(/:\d+-\d+$/, ''))),
    ...walk(path.join(ws, 'test'), () => true),
    ...walk(path.join(ws, 'src'), (f) => f.endsWith('.spec.ts')),
    path.join(ws, 'jest.config.js'),
    path.join(root, 'jest.config.base.js'),
    path.join(root, 'stryker.config.mjs'),
    path.join(root, 'infra', 'stryker-ignore.mjs'),
  ];
  const hash = createHash('sha256');
  for (const file of [...new Set(files)].sort())
    hash
      .update(`${path.relative(root, file)}\n`)
      .update(await formatted(file))
      .update('\n');
  return hash.digest('hex');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(await fingerprint(process.argv[2]));
