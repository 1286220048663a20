// usage: node scripts/build-cjs.mjs   (the second half of `npm run build`, after tsc wrote dist/esm)
// Writes the CommonJS build to dist/cjs: each source file transpiled by SWC (TypeScript 7 has no CommonJS
// emit for an ESM package), the declarations copied from dist/esm, and a package.json that marks the folder
// as CommonJS so Node reads `require('@lockwell/sdk')` as such.
import { transformFile } from '@swc/core';
import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.join(pkg, 'src');
const esm = path.join(pkg, 'dist/esm');
const cjs = path.join(pkg, 'dist/cjs');

rmSync(cjs, { recursive: true, force: true });
for (const entry of readdirSync(src, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.spec.ts')) continue;
  const relative = path.relative(src, path.join(entry.parentPath, entry.name));
  const out = path.join(cjs, relative.replace(/\.ts$/, '.js'));
  mkdirSync(path.dirname(out), { recursive: true });
  const { code } = await transformFile(path.join(src, relative), {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
    sourceMaps: false,
  });
  writeFileSync(out, code);
  copyFileSync(path.join(esm, relative.replace(/\.ts$/, '.d.ts')), out.replace(/\.js$/, '.d.ts'));
}
writeFileSync(path.join(cjs, 'package.json'), '{ "type": "commonjs" }\n');
