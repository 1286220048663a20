// The closing line of `npm test` must not be able to lie: these runs are built from fixture artefacts (jest
// reports, turbo's run summary, lint's exit code) the way infra/test.sh leaves them.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { listWorkspaces, NO_TEST_SCRIPT, NO_TESTS_YET, readRun, summarize } from '../../test-summary.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const ws = (
  name: string,
  dir: string,
  scripts: Record<string, string> = { build: 'b', typecheck: 't', test: 'j' },
) => ({ name, dir, scripts });
const WORKSPACES = [
  ws('@lockwell/crypto', 'packages/crypto'),
  ws('@lockwell/vault', 'apps/vault'),
  ws('@lockwell/skeleton', 'apps/skeleton'),
  ws('@lockwell/testing', 'packages/testing', { build: 'b', typecheck: 't' }),
];
const report = (passed: number, extra: Record<string, number> = {}) => ({
  numPassedTests: passed,
  numFailedTests: 0,
  numRuntimeErrorTestSuites: 0,
  numPendingTests: 0,
  numTodoTests: 0,
  numTotalTests: passed,
  ...extra,
});
const okTasks = WORKSPACES.flatMap((w) =>
  ['build', 'typecheck'].map((k) => ({ taskId: `${w.name}#${k}`, execution: { exitCode: 0 } })),
);
const goodRun = () => ({
  workspaces: WORKSPACES,
  reports: { crypto: report(40), vault: report(60), skeleton: report(0) } as Record<string, unknown>,
  // A workspace allowed to have no tests yet, whatever the real list says today.
  noTestsYet: { '@lockwell/skeleton': 'a fixture service without tests' } as Record<string, string>,
  turboTasks: okTasks as { taskId: string; execution?: { exitCode: number } }[],
  lintExitCode: 0 as number | null,
  mutationExitCode: 0 as number | null | undefined,
});
const closing = (run: ReturnType<typeof goodRun>) => summarize(run).lines.at(-1);

describe('test summary (infra/test-summary.mjs)', () => {
  it('ends a clean run with "N passed, 0 failed, N skipped" after a line naming lint, build, typecheck and the workspaces without tests', () => {
    const { lines } = summarize(goodRun());
    expect(lines).toEqual([
      'summary: lint ok; build 4/4; typecheck 4/4; tests reported by 3/3 workspaces; no tests: testing, skeleton; mutation ok; 0 skipped, 0 todo',
      '100 passed, 0 failed, 0 skipped',
    ]);
  });

  it('counts a workspace whose tests never started as failed and names it', () => {
    const run = goodRun();
    delete run.reports.vault; // e.g. a syntax error in apps/vault/jest.config.js: jest exits before writing its report
    const { lines, failed } = summarize(run);
    expect(failed).toBe(1);
    expect(lines[0]).toBe('FAILED @lockwell/vault: tests never reported (jest did not start or its task did not run)');
    expect(lines.at(-2)).toContain('tests reported by 2/3 workspaces');
    expect(lines.at(-1)).toBe('40 passed, 1 failed, 0 skipped');
  });

  it('counts test files that could not run, and failed tests', () => {
    const run = goodRun();
    run.reports.vault = report(55, { numFailedTests: 2, numRuntimeErrorTestSuites: 1, numTotalTests: 57 });
    expect(closing(run)).toBe('95 passed, 3 failed, 0 skipped');
    expect(summarize(run).lines[0]).toBe('FAILED @lockwell/vault: 2 failed tests, 1 suites that could not run');
  });

  it('fails a workspace with no tests unless it is listed as having none yet', () => {
    const run = goodRun();
    run.reports.crypto = report(0);
    expect(closing(run)).toBe('60 passed, 1 failed, 0 skipped');
    expect(summarize(run).problems).toEqual(['@lockwell/crypto: no tests, and it is not listed in NO_TESTS_YET']);
  });

  it('fails a workspace without a test script unless it is listed', () => {
    const run = goodRun();
    run.workspaces = [...WORKSPACES, ws('@lockwell/new-thing', 'packages/new-thing', { build: 'b' })];
    run.turboTasks = [...okTasks, { taskId: '@lockwell/new-thing#build', execution: { exitCode: 0 } }];
    expect(summarize(run).problems).toEqual([
      '@lockwell/new-thing: has no "test" script, and it is not listed in NO_TEST_SCRIPT',
    ]);
  });

  it('counts a failed or missing typecheck or build, and a failed or missing lint', () => {
    const run = goodRun();
    run.turboTasks = okTasks
      .map((t) => (t.taskId === '@lockwell/vault#typecheck' ? { ...t, execution: { exitCode: 2 } } : t))
      .filter((t) => t.taskId !== '@lockwell/crypto#build');
    run.lintExitCode = 1;
    const { problems, lines } = summarize(run);
    expect(problems).toEqual([
      '@lockwell/crypto#build: did not run',
      '@lockwell/vault#typecheck: exit code 2',
      'lint: failed (exit code 1)',
    ]);
    expect(lines.at(-2)).toContain('summary: lint FAILED; build 3/4; typecheck 3/4;');
    expect(lines.at(-1)).toBe('100 passed, 3 failed, 0 skipped');
    expect(closing({ ...goodRun(), turboTasks: null })).toBe('100 passed, 8 failed, 0 skipped');
    expect(closing({ ...goodRun(), lintExitCode: null })).toBe('100 passed, 1 failed, 0 skipped');
  });

  it('counts a failed or missing mutation step', () => {
    expect(closing({ ...goodRun(), mutationExitCode: 1 })).toBe('100 passed, 1 failed, 0 skipped');
    expect(summarize({ ...goodRun(), mutationExitCode: null }).problems).toEqual(['mutation testing: did not run']);
    expect(summarize({ ...goodRun(), mutationExitCode: 1 }).lines.at(-2)).toContain('mutation FAILED;');
  });

  it('reports skipped and todo tests', () => {
    const run = goodRun();
    run.reports.crypto = report(40, { numPendingTests: 2, numTodoTests: 1, numTotalTests: 43 });
    expect(summarize(run).lines.at(-2)).toContain('2 skipped, 1 todo');
    expect(closing(run)).toBe('100 passed, 0 failed, 3 skipped');
  });

  it('reads the artefacts from disk, treating a half-written report as no report', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'summary-'));
    mkdirSync(path.join(root, 'packages', 'crypto'), { recursive: true });
    mkdirSync(path.join(root, '.test-results'));
    mkdirSync(path.join(root, '.turbo', 'runs'), { recursive: true });
    writeFileSync(path.join(root, 'package.json'), JSON.stringify({ workspaces: ['packages/*'] }));
    writeFileSync(
      path.join(root, 'packages', 'crypto', 'package.json'),
      JSON.stringify({ name: '@lockwell/crypto', scripts: { build: 'b', test: 'j' } }),
    );
    writeFileSync(path.join(root, '.test-results', 'crypto.json'), '{"numPassedTests": 4');
    writeFileSync(path.join(root, '.test-results', 'lint.exitcode'), '0\n');
    writeFileSync(path.join(root, '.test-results', 'mutation.exitcode'), '0\n');
    writeFileSync(
      path.join(root, '.turbo', 'runs', 'x.json'),
      JSON.stringify({ tasks: [{ taskId: '@lockwell/crypto#build', execution: { exitCode: 0 } }] }),
    );
    const { lines, failed } = summarize(readRun(root));
    expect(failed).toBe(1);
    expect(lines[0]).toBe('FAILED @lockwell/crypto: tests never reported (jest did not start or its task did not run)');
  });

  it('knows every workspace of this repository: each has a test script or a reason not to', () => {
    const workspaces = listWorkspaces(ROOT) as { name: string; scripts?: Record<string, string> }[];
    expect(workspaces.length).toBeGreaterThanOrEqual(12);
    for (const w of workspaces)
      expect({ name: w.name, ok: Boolean(w.scripts?.test) || w.name in NO_TEST_SCRIPT }).toEqual({
        name: w.name,
        ok: true,
      });
    for (const name of Object.keys(NO_TESTS_YET))
      expect(workspaces.find((w) => w.name === name)?.scripts?.test).toContain('--passWithNoTests');
    const others = workspaces.filter((w) => !(w.name in NO_TESTS_YET));
    for (const w of others)
      expect({ name: w.name, passWithNoTests: Boolean(w.scripts?.test?.includes('--passWithNoTests')) }).toEqual({
        name: w.name,
        passWithNoTests: false,
      });
  });
});
