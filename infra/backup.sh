#!/usr/bin/env bash
# usage: npm run backup -- --out DIR [--server URL] [--db SERVICE=URL ...]
#        npm run restore -- DIR [--server URL] [--db SERVICE=URL ...] [--drop-previous]
# Backs up or restores every service database (packages/backup; README "Operating Lockwell"). Without
# --server / --db it targets npm start's PostgreSQL, and without LOCKWELL_MASTER_KEY(_FILE) the development key
# in .data/master.key. Relative paths are taken from the directory npm was run in.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
if [ "$#" -lt 2 ]; then
  echo "usage: npm run backup -- --out DIR [--server URL] [--db SERVICE=URL ...]" >&2
  echo "       npm run restore -- DIR [--server URL] [--db SERVICE=URL ...] [--drop-previous]" >&2
  exit 2
fi
if [ -z "${LOCKWELL_MASTER_KEY:-}" ] && [ -z "${LOCKWELL_MASTER_KEY_FILE:-}" ]; then
  data_dir="${LOCKWELL_DATA_DIR:-.data}"
  [[ "$data_dir" = /* ]] || data_dir="$root/$data_dir"
  export LOCKWELL_MASTER_KEY_FILE="$data_dir/master.key"
fi
[ -f "$root/packages/backup/dist/main.js" ] || (cd "$root" && node_modules/.bin/turbo run build --filter=@lockwell/backup --output-logs=errors-only)
node="$root/node_modules/.bin/node"
cd "${INIT_CWD:-$PWD}"
# Against npm start's PostgreSQL (no --server / --db) while the system is stopped: run it alone meanwhile.
if [[ " $* " != *" --server "* && " $* " != *" --db "* ]] && ! (exec 3<>"/dev/tcp/127.0.0.1/${LOCKWELL_PG_PORT:-54329}") 2>/dev/null; then
  exec "$node" "$root/infra/local/run.mjs" --with-postgres -- "$node" "$root/packages/backup/dist/main.js" "$@"
fi
exec "$node" "$root/packages/backup/dist/main.js" "$@"
