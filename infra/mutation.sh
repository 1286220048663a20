#!/usr/bin/env bash
# usage: npm run test:mutation [-- target ...]   (targets: see stryker.config.mjs; default: all)
#        STRYKER_INCREMENTAL=1 npm run test:mutation   reuse the committed results of unchanged code
# Mutation testing of the security core: builds, starts one throwaway PostgreSQL for the integration-test
# targets, runs Stryker once per target, then merges the reports into reports/mutation/ (mutation.html,
# mutation.json) and prints the score per file. Exits 1 when any target or the total is below 80% killed.
set -euo pipefail
cd "$(dirname "$0")/.."
source infra/ensure-deps.sh
export PATH="$PWD/node_modules/.bin:$PATH"
node -e "import('./infra/local/index.js').then((m) => m.ensureNatsServer(console.log))"
turbo run build --output-logs=errors-only >/dev/null

targets=("$@")
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <(node -e "process.env.STRYKER_TARGET='crypto'; import('./stryker.config.mjs').then((m) => console.log(Object.keys(m.TARGETS).join('\n')))")

# One PostgreSQL for the whole run (the jest global setup reuses it instead of starting one per mutant).
pgdir="$(mktemp -d)"; chmod 755 "$pgdir"
eval "$(node -e "
  import('./infra/local/index.js').then(async (m) => {
    const pg = await m.startPostgres({ dir: '$pgdir/pg', port: await m.freePort() });
    // embedded-postgres stops with this process: then each jest run starts its own (slower, still correct).
    if (pg.kind === 'system') console.log('export LOCKWELL_TEST_PG_EXTERNAL=1 LOCKWELL_TEST_PG_URL=' + JSON.stringify(pg.url('{db}')));
  });")"
trap 'node -e "import(\"./infra/local/index.js\").then((m) => m.stopPostgres(\"$pgdir/pg\"))"; rm -rf "$pgdir"' EXIT

mkdir -p reports/mutation/targets reports/mutation/incremental
status=0
start=$(date +%s)
for t in "${targets[@]}"; do
  echo "== mutation target $t"
  t0=$(date +%s)
  STRYKER_TARGET="$t" stryker run stryker.config.mjs || status=1
  echo "== $t took $(( $(date +%s) - t0 )) s"
done
echo "== mutation testing took $(( $(date +%s) - start )) s"
node infra/mutation-report.mjs "${targets[@]}" || status=1
exit $status
