#!/usr/bin/env bash
# usage: npm run test:resilience   (env: LOCKWELL_RESILIENCE_ROUNDS=3, LOCKWELL_RESILIENCE_WORKERS=16,
#        LOCKWELL_RESILIENCE_STEADY_MS=5000)
# The long form of e2e/durability-crash.e2e.spec.ts (which `npm test` runs once per dependency): several rounds
# of SIGKILL to PostgreSQL and to nats-server under a heavier write load, each printing its figures.
set -euo pipefail
cd "$(dirname "$0")/.."
source infra/ensure-deps.sh
node_modules/.bin/turbo run build --output-logs=errors-only
export LOCKWELL_RESILIENCE_ROUNDS="${LOCKWELL_RESILIENCE_ROUNDS:-3}"
export LOCKWELL_RESILIENCE_WORKERS="${LOCKWELL_RESILIENCE_WORKERS:-16}"
export LOCKWELL_RESILIENCE_STEADY_MS="${LOCKWELL_RESILIENCE_STEADY_MS:-5000}"
cd e2e
PATH="$PWD/../node_modules/.bin:$PATH" bash ../infra/jest.sh durability-crash.e2e.spec.ts
