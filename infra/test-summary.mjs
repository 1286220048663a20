// usage: node infra/test-summary.mjs   (run by infra/test.sh after lint and `turbo run build typecheck test`)
// Prints what the run really did, then the one closing line CI reads: "N passed, N failed, N skipped".
// Nothing is taken on trust: every workspace with a "test" script must have left a jest report in
// .test-results/ (one that never started counts as failed), every build/typecheck task must be in turbo's run
// summary with exit code 0, and lint must have passed. Each such failure adds one to "failed", so the closing
// line cannot read "0 failed" for a run that went wrong somewhere.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Workspaces allowed to have no tests yet, with the reason (their jest runs with --passWithNoTests). Any
 * other workspace whose jest found no test is a failure.
 */
export const NO_TESTS_YET = {};

/** Workspaces without a "test" script, with the reason; any other workspace without one is a failure. */
export const NO_TEST_SCRIPT = {
  '@lockwell/testing': 'test helpers, exercised by every integration and e2e suite',
  '@lockwell/sdk-codegen':
    'the SDK client generator; packages/sdk/test/generated-client.spec.ts runs it and fails on drift',
};

/** Workspaces of the root package.json (globs of the form `dir/*` or `dir`), with their package.json. */
export function listWorkspaces(root) {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  const dirs = pkg.workspaces.flatMap((pattern) => {
    if (!pattern.endsWith('/*')) return [pattern];
    const parent = pattern.slice(0, -2);
    return readdirSync(path.join(root, parent), { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(path.join(root, parent, d.name, 'package.json')))
      .map((d) => `${parent}/${d.name}`);
  });
  return dirs.map((dir) => ({ dir, ...JSON.parse(readFileSync(path.join(root, dir, 'package.json'), 'utf8')) }));
}

/**
 * The run as counted from its artefacts.
 * @param {object} run
 * @param {{name: string, dir: string, scripts?: Record<string, string>}[]} run.workspaces
 * @param {Record<string, object>} run.reports  jest --json reports keyed by workspace directory name (basename)
 * @param {{taskId: string, execution?: {exitCode?: number}}[] | null} run.turboTasks  tasks of turbo's --summarize file
 * @param {number | null} run.lintExitCode
 * @param {number | null} [run.mutationExitCode]  infra/mutation.sh --changed; undefined when the run has no such step
 * @param {Record<string, string>} [run.noTestsYet]  NO_TESTS_YET unless given (fixtures of the summary's own tests)
 */
export function summarize({
  workspaces,
  reports,
  turboTasks,
  lintExitCode,
  mutationExitCode,
  noTestsYet = NO_TESTS_YET,
}) {
  const problems = [];
  let passed = 0,
    failed = 0,
    skipped = 0,
    todo = 0;
  const noTests = [];
  const testing = workspaces.filter((w) => w.scripts?.test);
  for (const w of workspaces.filter((x) => !x.scripts?.test)) {
    noTests.push(w.name);
    if (!(w.name in NO_TEST_SCRIPT)) {
      failed += 1;
      problems.push(`${w.name}: has no "test" script, and it is not listed in NO_TEST_SCRIPT`);
    }
  }
  for (const w of testing) {
    const report = reports[path.basename(w.dir)];
    if (!report) {
      failed += 1;
      problems.push(`${w.name}: tests never reported (jest did not start or its task did not run)`);
      continue;
    }
    passed += report.numPassedTests ?? 0;
    failed += (report.numFailedTests ?? 0) + (report.numRuntimeErrorTestSuites ?? 0);
    skipped += report.numPendingTests ?? 0;
    todo += report.numTodoTests ?? 0;
    if (report.numFailedTests || report.numRuntimeErrorTestSuites) {
      problems.push(
        `${w.name}: ${report.numFailedTests ?? 0} failed tests, ${report.numRuntimeErrorTestSuites ?? 0} suites that could not run`,
      );
    }
    if (!report.numTotalTests) {
      noTests.push(w.name);
      if (!(w.name in noTestsYet)) {
        failed += 1;
        problems.push(`${w.name}: no tests, and it is not listed in NO_TESTS_YET`);
      }
    }
  }
  const tasks = {};
  for (const kind of ['build', 'typecheck']) {
    const expected = workspaces.filter((w) => w.scripts?.[kind]).map((w) => `${w.name}#${kind}`);
    let ok = 0;
    for (const id of expected) {
      const task = turboTasks?.find((t) => t.taskId === id);
      if (task?.execution?.exitCode === 0) ok += 1;
      else {
        failed += 1;
        problems.push(`${id}: ${task?.execution ? `exit code ${task.execution.exitCode}` : 'did not run'}`);
      }
    }
    tasks[kind] = `${ok}/${expected.length}`;
  }
  if (lintExitCode !== 0) {
    failed += 1;
    problems.push(lintExitCode === null ? 'lint: did not run' : `lint: failed (exit code ${lintExitCode})`);
  }
  if (mutationExitCode !== undefined && mutationExitCode !== 0) {
    failed += 1;
    problems.push(
      mutationExitCode === null
        ? 'mutation testing: did not run'
        : 'mutation testing: a target is below its break threshold or could not run',
    );
  }
  const reported = testing.filter((w) => reports[path.basename(w.dir)]).length;
  const detail =
    `summary: lint ${lintExitCode === 0 ? 'ok' : 'FAILED'}; build ${tasks.build}; typecheck ${tasks.typecheck}; ` +
    `tests reported by ${reported}/${testing.length} workspaces; no tests: ${noTests.length ? noTests.map((n) => n.replace('@lockwell/', '')).join(', ') : 'none'}; ` +
    `${mutationExitCode === undefined ? '' : `mutation ${mutationExitCode === 0 ? 'ok' : 'FAILED'}; `}${skipped} skipped, ${todo} todo`;
  return {
    passed,
    failed,
    skipped: skipped + todo,
    problems,
    lines: [
      ...problems.map((p) => `FAILED ${p}`),
      detail,
      `${passed} passed, ${failed} failed, ${skipped + todo} skipped`,
    ],
  };
}

/** Reads the artefacts infra/test.sh leaves in the repository root. */
export function readRun(root) {
  const resultsDir = path.join(root, '.test-results');
  const reports = {};
  for (const file of existsSync(resultsDir) ? readdirSync(resultsDir).filter((f) => f.endsWith('.json')) : []) {
    try {
      reports[file.replace(/\.json$/, '')] = JSON.parse(readFileSync(path.join(resultsDir, file), 'utf8'));
    } catch {
      // A half-written report is as good as none: the workspace counts as not reported.
    }
  }
  const runsDir = path.join(root, '.turbo', 'runs');
  const runs = existsSync(runsDir) ? readdirSync(runsDir).filter((f) => f.endsWith('.json')) : [];
  const turboTasks = runs.length
    ? runs.flatMap((f) => JSON.parse(readFileSync(path.join(runsDir, f), 'utf8')).tasks)
    : null;
  const lintFile = path.join(resultsDir, 'lint.exitcode');
  const lintExitCode = existsSync(lintFile) ? Number(readFileSync(lintFile, 'utf8').trim()) : null;
  const mutationFile = path.join(resultsDir, 'mutation.exitcode');
  const mutationExitCode = existsSync(mutationFile) ? Number(readFileSync(mutationFile, 'utf8').trim()) : null;
  return { workspaces: listWorkspaces(root), reports, turboTasks, lintExitCode, mutationExitCode };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const result = summarize(readRun(root));
  for (const line of result.lines) console.log(line);
  process.exit(result.failed > 0 ? 1 : 0);
}
