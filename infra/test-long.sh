#!/usr/bin/env bash
# usage: npm run test:long   (env: LOCKWELL_FUZZ_RUNS=10000)
# The long security suite (docs/testing.md "The long suite"): the attack matrix, the fuzz at LOCKWELL_FUZZ_RUNS random
# cases (10,000 by default; `npm test` runs a short 1,635) and the end-to-end canary, each on a system of its own.
# Ends with the figures the suites printed: matrix cells, fuzz cases, canary hits.
set -euo pipefail
cd "$(dirname "$0")/.."
source infra/ensure-deps.sh
node_modules/.bin/turbo run build --output-logs=errors-only
export LOCKWELL_FUZZ_RUNS="${LOCKWELL_FUZZ_RUNS:-10000}"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
cd e2e
set +e
PATH="$PWD/../node_modules/.bin:$PATH" bash ../infra/jest.sh --runInBand refusal-matrix.e2e.spec.ts security-fuzz.e2e.spec.ts \
  security-canary.e2e.spec.ts 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
echo "figures:"
grep -aE '^\s+(attack matrix|fuzz|canary hits):' "$log" | sed 's/^ */  /'
exit "$status"
