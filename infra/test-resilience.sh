#!/usr/bin/env bash
# usage: npm run test:resilience   (docs/operations.md "Fault injection under load")
# 1. e2e/resilience-faults.e2e.spec.ts for LOCKWELL_RESILIENCE_DURATION_S (default 60) of mixed load while every
#    service, a gateway, nats-server and PostgreSQL are killed with SIGKILL in turn and restarted
#    (env: LOCKWELL_RESILIENCE_WORKERS=6, LOCKWELL_RESILIENCE_DOWN_MS=1000, LOCKWELL_RESILIENCE_REPLICAS=gateway=2,
#    LOCKWELL_RESILIENCE_KEEP_LOGS=1 keeps every process's log);
# 2. the long form of e2e/durability-crash.e2e.spec.ts: several rounds of SIGKILL to PostgreSQL and to nats-server
#    under a heavier write load (env: LOCKWELL_RESILIENCE_ROUNDS=3, LOCKWELL_RESILIENCE_WORKERS=16,
#    LOCKWELL_RESILIENCE_STEADY_MS=5000).
# `npm test` runs the crash test once per dependency; the fault-injection suite runs only here. Each prints its figures.
set -euo pipefail
cd "$(dirname "$0")/.."
source infra/ensure-deps.sh
node_modules/.bin/turbo run build --output-logs=errors-only
cd e2e
export PATH="$PWD/../node_modules/.bin:$PATH"
LOCKWELL_RESILIENCE=1 bash ../infra/jest.sh resilience-faults.e2e.spec.ts
LOCKWELL_RESILIENCE_ROUNDS="${LOCKWELL_RESILIENCE_ROUNDS:-3}" \
  LOCKWELL_RESILIENCE_WORKERS="${LOCKWELL_RESILIENCE_WORKERS:-16}" \
  LOCKWELL_RESILIENCE_STEADY_MS="${LOCKWELL_RESILIENCE_STEADY_MS:-5000}" \
  bash ../infra/jest.sh durability-crash.e2e.spec.ts
