#!/usr/bin/env bash
# usage: npm run lockwell -- rotate-master-key [--batch-size N]
# Operator commands. rotate-master-key re-wraps every vault data key under the active (highest-id) master key:
# add the new key to LOCKWELL_MASTER_KEY ("1:old,2:new"), restart the services, then run this. It is resumable
# and idempotent. Without DATABASE_URL / a master key it targets the `npm start` system under .data/.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$#" -lt 1 ]; then
  echo "usage: npm run lockwell -- rotate-master-key [--batch-size N]" >&2
  exit 2
fi
export DATABASE_URL="${DATABASE_URL:-postgresql://postgres@127.0.0.1:${LOCKWELL_PG_PORT:-54329}/lockwell_vault}"
if [ -z "${LOCKWELL_MASTER_KEY:-}" ] && [ -z "${LOCKWELL_MASTER_KEY_FILE:-}" ]; then
  export LOCKWELL_MASTER_KEY_FILE="${LOCKWELL_DATA_DIR:-.data}/master.key"
fi
[ -f apps/vault/dist/cli/main.js ] || node_modules/.bin/turbo run build --filter=@lockwell/vault --output-logs=errors-only
exec node_modules/.bin/node apps/vault/dist/cli/main.js "$@"
