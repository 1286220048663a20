// usage: node infra/mutation-report.mjs [target ...]   (run by infra/mutation.sh)
// Merges the per-target Stryker reports (reports/mutation/targets/<target>.json) into one report,
// reports/mutation/mutation.json + mutation.html (the mutation-testing-elements viewer Stryker's own HTML
// reporter uses), prints killed/survived/score per file and exits 1 below the break threshold.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const BREAK = 80;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = path.join(root, 'reports', 'mutation');
const targets = process.argv.slice(2);

const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);

/** Stryker's mutation score: detected / (detected + undetected); errors and ignored mutants do not count. */
export function score(mutants) {
  const c = { killed: 0, survived: 0, noCoverage: 0, timeout: 0, errors: 0, ignored: 0 };
  for (const m of mutants) {
    if (m.status === 'Killed') c.killed++;
    else if (m.status === 'Timeout') c.timeout++;
    else if (m.status === 'Survived') c.survived++;
    else if (m.status === 'NoCoverage') c.noCoverage++;
    else if (m.status === 'Ignored') c.ignored++;
    else c.errors++;
  }
  const detected = mutants.filter((m) => DETECTED.has(m.status)).length;
  const valid = detected + mutants.filter((m) => UNDETECTED.has(m.status)).length;
  return { ...c, score: valid ? (100 * detected) / valid : 100 };
}

const merged = {
  schemaVersion: '1',
  thresholds: { high: 90, low: BREAK },
  projectRoot: root,
  files: {},
  testFiles: {},
};
for (const target of targets) {
  const file = path.join(dir, 'targets', `${target}.json`);
  if (!existsSync(file)) {
    console.error(`no report for target ${target} (${path.relative(root, file)})`);
    process.exitCode = 1;
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const own = score(Object.values(report.files).flatMap((f) => f.mutants));
  if (own.score < BREAK) {
    console.error(
      `target ${target}: mutation score ${own.score.toFixed(1)}% is below the break threshold of ${BREAK}%`,
    );
    process.exitCode = 1;
  }
  // Ids are per run: prefix them with the target so the merged report stays consistent.
  const id = (x) => `${target}:${x}`;
  for (const [name, f] of Object.entries(report.files)) {
    merged.files[name] = {
      ...f,
      mutants: f.mutants.map((m) => ({
        ...m,
        id: id(m.id),
        coveredBy: m.coveredBy?.map(id),
        killedBy: m.killedBy?.map(id),
      })),
    };
  }
  for (const [name, f] of Object.entries(report.testFiles ?? {})) {
    const tests = f.tests.map((t) => ({ ...t, id: id(t.id) }));
    merged.testFiles[name] = merged.testFiles[name]
      ? { ...f, tests: [...merged.testFiles[name].tests, ...tests] }
      : { ...f, tests };
  }
}

writeFileSync(path.join(dir, 'mutation.json'), `${JSON.stringify(merged)}\n`);
const elements = readFileSync(
  createRequire(import.meta.url).resolve('mutation-testing-elements/dist/mutation-test-elements.js'),
  'utf8',
);
const json = JSON.stringify(merged).replace(/</g, '\\u003c');
writeFileSync(
  path.join(dir, 'mutation.html'),
  `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>Lockwell security core: mutation report</title>\n<script>${elements.replace(/<\/script/gi, '<\\/script')}</script></head>\n` +
    `<body><mutation-test-report-app title-postfix="Lockwell security core"></mutation-test-report-app>\n` +
    `<script>document.querySelector('mutation-test-report-app').report = ${json};</script></body></html>\n`,
);

const rows = Object.entries(merged.files).map(([name, f]) => ({ name, ...score(f.mutants) }));
const all = score(Object.values(merged.files).flatMap((f) => f.mutants));
const pad = (s, n) => String(s).padStart(n);
console.log(
  `${'file'.padEnd(58)} ${pad('score', 6)} ${pad('killed', 6)} ${pad('timeout', 7)} ${pad('survived', 8)} ${pad('no cov', 6)} ${pad('errors', 6)}`,
);
for (const r of [...rows, { name: 'all files', ...all }]) {
  console.log(
    `${r.name.padEnd(58)} ${pad(r.score.toFixed(1), 6)} ${pad(r.killed, 6)} ${pad(r.timeout, 7)} ${pad(r.survived, 8)} ${pad(r.noCoverage, 6)} ${pad(r.errors, 6)}`,
  );
}
console.log(`mutation report: ${path.relative(root, path.join(dir, 'mutation.html'))}`);
if (all.score < BREAK) {
  console.error(`mutation score ${all.score.toFixed(1)}% is below the break threshold of ${BREAK}%`);
  process.exitCode = 1;
}
