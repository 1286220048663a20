#!/usr/bin/env bash
# usage: npm test   — on a fresh clone: installs what is missing (npm packages, nats-server and chromium via apt when root),
# then lints (oxlint, module boundaries, Prettier), builds, typechecks and runs every test suite (unit, integration against a throwaway PostgreSQL and
# nats-server, e2e through the gateway). Ends with a "summary:" line (lint, build, typecheck, which workspaces
# reported, which have no tests, mutation testing) and the closing line "N passed, N failed, N skipped" (infra/test-summary.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."
source infra/ensure-deps.sh
node_modules/.bin/node -e "import('./infra/local/index.js').then((m) => { m.ensureNatsServer(console.log); m.ensureChromium(console.log); })"
rm -rf .test-results .turbo/runs
mkdir -p .test-results
set +e
# Lint is oxlint, the module boundaries (docs/architecture.md "Module shape") and the formatting (Prettier).
lint=0
node_modules/.bin/oxlint -c .oxlintrc.json apps packages e2e infra bench || lint=1
node_modules/.bin/node infra/check-boundaries.mjs || lint=1
node_modules/.bin/prettier --check --log-level warn "**/*.{ts,tsx,js,mjs,cjs}" || { echo "formatting: run npm run format"; lint=1; }
echo $lint > .test-results/lint.exitcode
# --continue=dependencies-successful: one failing workspace does not hide the results of the others;
# --summarize: turbo's record of every task's exit code, which the summary checks build and typecheck against.
node_modules/.bin/turbo run build typecheck test --concurrency=3 --log-order=grouped --continue=dependencies-successful --summarize
# Mutation testing of the security core, only for targets changed since their committed report (docs/testing.md).
bash infra/mutation.sh --changed
echo $? > .test-results/mutation.exitcode
set -e
node_modules/.bin/node infra/test-summary.mjs
