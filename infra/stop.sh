#!/usr/bin/env bash
# usage: npm run stop   — cleans up after a crashed `npm start`: services, gateway, nats-server, PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
exec node_modules/.bin/node infra/local/run.mjs --stop
