#!/usr/bin/env bash
# usage: npm run lockwell -- rotate-master-key [--batch-size N]
# Operator commands. rotate-master-key re-seals every key sealed under an older master key: the vault's data
# keys and identity's JWT signing keys. Add the new key to LOCKWELL_MASTER_KEY ("1:old,2:new"), restart the
# services, then run this; it is resumable and idempotent and exits 0 once nothing remains under an old key.
# Databases: DATABASE_URL (vault) and IDENTITY_DATABASE_URL; without them, the `npm start` system under .data/.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$#" -lt 1 ]; then
  echo "usage: npm run lockwell -- rotate-master-key [--batch-size N]" >&2
  exit 2
fi
pg="postgresql://postgres@127.0.0.1:${LOCKWELL_PG_PORT:-54329}"
vault_db="${DATABASE_URL:-$pg/lockwell_vault}"
identity_db="${IDENTITY_DATABASE_URL:-$pg/lockwell_identity}"
if [ -z "${LOCKWELL_MASTER_KEY:-}" ] && [ -z "${LOCKWELL_MASTER_KEY_FILE:-}" ]; then
  export LOCKWELL_MASTER_KEY_FILE="${LOCKWELL_DATA_DIR:-.data}/master.key"
fi
[ -f apps/vault/dist/cli/main.js ] && [ -f apps/identity/dist/cli/main.js ] \
  || node_modules/.bin/turbo run build --filter=@lockwell/vault --filter=@lockwell/identity --output-logs=errors-only
status=0
echo "vault (data keys):"
DATABASE_URL="$vault_db" node_modules/.bin/node apps/vault/dist/cli/main.js "$@" || status=$?
if [ "$1" = "rotate-master-key" ]; then
  echo "identity (signing keys):"
  DATABASE_URL="$identity_db" node_modules/.bin/node apps/identity/dist/cli/main.js rotate-master-key || status=$?
fi
exit $status
