#!/usr/bin/env bash
# usage: npm start        (env: LOCKWELL_PORT, LOCKWELL_ADMIN_EMAIL, LOCKWELL_ADMIN_PASSWORD, ... see README)
# Installs what is missing, builds, then runs PostgreSQL, nats-server, every service and the gateway
# (infra/local/run.mjs). Ctrl-C stops all of them.
set -euo pipefail
cd "$(dirname "$0")/.."
source infra/ensure-deps.sh
node_modules/.bin/turbo run build --output-logs=errors-only
exec node_modules/.bin/node infra/local/run.mjs
