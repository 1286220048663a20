// usage: node infra/check-boundaries.mjs   (npm test runs it beside oxlint; exits 1 on a violation)
// The module boundaries of docs/architecture.md "Module shape", which oxlint cannot express:
//  1. an app never imports another app (apps talk over the bus through packages/contracts), and no package or
//     tool imports an app's source, except the e2e tests, benchmarks and the local runner, which start them;
//  2. inside an app, a feature folder (a direct child of src/ with a *.module.ts) is used by its siblings only
//     through its module: a sibling may import the module file, the files of the providers the module exports,
//     and files that declare no Nest provider at all (types, entities, pure functions, decorators). A provider
//     the module keeps to itself is not importable, so it cannot be injected or constructed around the module.
//     Tests (*.spec.ts, test/) may reach any file: they build units with their collaborators faked.
// Folders without a module (src/http, the vault's access/ or payload/) are libraries: any file may be imported.
//  3. every document the code cites (`docs/x.md "Section"`) is in the repository with that section; the
//     specifications outside it (../shared/) are never cited, since users never see them.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const rel = (f) => path.relative(root, f);
const SOURCE = /\.(ts|tsx|mts|js|mjs)$/;
const IMPORT =
  /(?:^|[^\w.])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|[^\w.])import\s*\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm;
const PROVIDER = /@(?:Injectable|Controller|Module)\s*\(/;

function walk(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    if (['node_modules', 'dist', '.turbo'].includes(name) || name.startsWith('.')) return [];
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : SOURCE.test(name) ? [full] : [];
  });
}

function importsOf(file) {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(IMPORT)].map((m) => m[1] ?? m[2] ?? m[3]);
}

/** The file a relative specifier names (`./x.js` is `./x.ts` in the sources). */
function resolve(from, spec) {
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [
    base,
    base.replace(/\.js$/, '.ts'),
    base.replace(/\.js$/, '.tsx'),
    `${base}.ts`,
    path.join(base, 'index.ts'),
  ]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return base;
}

const apps = readdirSync(path.join(root, 'apps')).filter((a) => existsSync(path.join(root, 'apps', a, 'package.json')));
const appPackages = new Map(
  apps.map((a) => [JSON.parse(readFileSync(path.join(root, 'apps', a, 'package.json'), 'utf8')).name, a]),
);
const appOf = (file) => {
  const parts = rel(file).split(path.sep);
  return parts[0] === 'apps' ? parts[1] : null;
};
// Who starts apps from their sources: the e2e system, benchmarks, the local runner (and its tests).
const MAY_IMPORT_APPS = ['e2e', 'bench', path.join('infra', 'local')];

const violations = [];

// 1. No app imports another app.
for (const dir of ['apps', 'packages', 'infra']) {
  for (const file of walk(path.join(root, dir))) {
    if (MAY_IMPORT_APPS.some((d) => rel(file).startsWith(d + path.sep))) continue;
    const own = appOf(file);
    for (const spec of importsOf(file)) {
      const target = spec.startsWith('.')
        ? appOf(resolve(file, spec))
        : appPackages.get(spec.split('/').slice(0, 2).join('/'));
      if (target && target !== own)
        violations.push(
          `${rel(file)}: imports the app ${target} (${spec}); apps talk over the bus, through packages/contracts`,
        );
    }
  }
}

// 2. A feature imports a sibling only through its module's exports.
const moduleCache = new Map();
/** The files a feature folder lets its siblings import, or null when it has no module (a library folder). */
function publicFilesOf(folder) {
  if (moduleCache.has(folder)) return moduleCache.get(folder);
  const modules = readdirSync(folder)
    .filter((f) => f.endsWith('.module.ts'))
    .map((f) => path.join(folder, f));
  let files = null;
  if (modules.length) {
    files = new Set(modules);
    for (const mod of modules) {
      const text = readFileSync(mod, 'utf8');
      const exported = [...text.matchAll(/exports\s*:\s*\[([^\]]*)\]/g)].flatMap((m) =>
        m[1]
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      );
      for (const name of exported) {
        const from = new RegExp(
          `import\\s*(?:type\\s*)?\\{[^}]*\\b${name}\\b[^}]*\\}\\s*from\\s*['"]([^'"]+)['"]`,
        ).exec(text);
        if (from) files.add(resolve(mod, from[1]));
      }
    }
  }
  moduleCache.set(folder, files);
  return files;
}

for (const app of apps) {
  const src = path.join(root, 'apps', app, 'src');
  for (const file of walk(src)) {
    if (/\.spec\.tsx?$/.test(file)) continue;
    const folder = path.relative(src, file).split(path.sep);
    // app.module.ts and main.ts wire every feature, and so do the operator commands of src/cli/ (without Nest).
    if (folder.length < 2 || folder[0] === 'cli') continue;
    for (const spec of importsOf(file).filter((s) => s.startsWith('.'))) {
      const target = resolve(file, spec);
      const targetParts = path.relative(src, target).split(path.sep);
      if (targetParts[0] === '..' || targetParts.length < 2 || targetParts[0] === folder[0]) continue;
      const allowed = publicFilesOf(path.join(src, targetParts[0]));
      if (!allowed || allowed.has(target) || !existsSync(target)) continue;
      if (!PROVIDER.test(readFileSync(target, 'utf8'))) continue;
      violations.push(`${rel(file)}: imports ${rel(target)}, which ${targetParts[0]}/'s module does not export`);
    }
  }
}

// 3. Cited documents exist.
const SPEC_CITATION = /\.\.\/shared\b|(?<![\w/.-])(?:API|DESIGN|SECURITY|STYLE|STACK|CONNECTORS-LESSONS)\.md\b/;
const DOC_CITATION = /docs\/([\w-]+\.md)(?:\s+\(?"([^"]+)")?/g;
const headings = new Map();
const headingsOf = (doc) => {
  if (!headings.has(doc))
    headings.set(
      doc,
      existsSync(doc)
        ? readFileSync(doc, 'utf8')
            .split('\n')
            .filter((l) => l.startsWith('#'))
        : null,
    );
  return headings.get(doc);
};
for (const dir of ['apps', 'packages', 'infra', 'e2e', 'bench']) {
  for (const file of walk(path.join(root, dir))) {
    if (rel(file) === rel(fileURLToPath(import.meta.url))) continue;
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (SPEC_CITATION.test(line))
          violations.push(`${rel(file)}:${i + 1}: cites a specification outside the repository; cite docs/ instead`);
        for (const [, doc, section] of line.matchAll(DOC_CITATION)) {
          const found = headingsOf(path.join(root, 'docs', doc));
          if (!found) violations.push(`${rel(file)}:${i + 1}: cites docs/${doc}, which does not exist`);
          else if (section && !found.some((h) => h.includes(section)))
            violations.push(`${rel(file)}:${i + 1}: cites docs/${doc} "${section}", which has no such section`);
        }
      });
  }
}

if (violations.length) {
  process.stderr.write(
    `module boundaries and cited documents (docs/architecture.md "Module shape"):\n${violations.map((v) => `  ${v}`).join('\n')}\n`,
  );
  process.exit(1);
}
process.stdout.write(`module boundaries and cited documents: ${apps.length} apps checked, no violation\n`);
