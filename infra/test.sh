#!/usr/bin/env bash
# usage: npm test   — on a fresh clone: installs what is missing (npm packages, nats-server and chromium via apt when root),
# then lints (oxlint), builds, typechecks and runs every test suite (unit, integration against a throwaway PostgreSQL and
# nats-server, e2e through the gateway). Ends with one line "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
source infra/ensure-deps.sh
node_modules/.bin/node -e "import('./infra/local/index.js').then((m) => { m.ensureNatsServer(console.log); m.ensureChromium(console.log); })"
rm -rf .test-results
set +e
node_modules/.bin/oxlint -c .oxlintrc.json apps packages e2e infra bench
lint=$?
node_modules/.bin/turbo run build typecheck test --concurrency=3 --log-order=grouped
status=$?
[ "$lint" -eq 0 ] || status=1
set -e
node_modules/.bin/node infra/test-summary.mjs || status=1
exit $status
