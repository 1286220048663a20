#!/usr/bin/env bash
# usage: npm run test:mutation [-- [--incremental | --changed] [target ...]]   (targets: stryker.config.mjs)
#   (no flag)      full run: every mutant of every target is tested again (before a release; docs/testing.md)
#   --incremental  Stryker's incremental mode: mutants whose code and covering tests did not change keep the
#                  result recorded in reports/mutation/incremental/<target>.json
#   --changed      what npm test runs: a target whose sources, tests and configuration are unchanged since its
#                  committed report (same fingerprint) is not run at all; the others run incrementally
# Mutation testing of the security core: builds, starts one throwaway PostgreSQL for the integration-test
# targets, runs Stryker per target, merges the reports into reports/mutation/ (mutation.html, mutation.json)
# and prints the score per file. Exits 1 when a target or the total is below 80% of mutants detected.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"
mode=full
case "${1:-}" in --incremental) mode=incremental; shift ;; --changed) mode=changed; shift ;; esac
targets=("$@")
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <(node -e "process.env.STRYKER_TARGET='crypto'; import('./stryker.config.mjs').then((m) => console.log(Object.keys(m.TARGETS).join('\n')))")
mkdir -p reports/mutation/targets reports/mutation/incremental

# --changed: keep the committed result of every target whose fingerprint did not move.
torun=()
for t in "${targets[@]}"; do
  fp_file="reports/mutation/incremental/$t.fingerprint"
  if [ "$mode" = changed ] && [ -f "reports/mutation/incremental/$t.json" ] && [ -f "$fp_file" ] \
    && [ "$(cat "$fp_file")" = "$(node infra/mutation-fingerprint.mjs "$t")" ]; then
    echo "== mutation target $t: unchanged since its committed report, not re-run"
    cp "reports/mutation/incremental/$t.json" "reports/mutation/targets/$t.json"
  else
    torun+=("$t")
  fi
done

status=0
if [ ${#torun[@]} -gt 0 ]; then
  source infra/ensure-deps.sh
  node -e "import('./infra/local/index.js').then((m) => m.ensureNatsServer(console.log))"
  turbo run build --output-logs=errors-only >/dev/null
  # One PostgreSQL for the whole run: the jest global setup reuses it instead of starting one per mutant.
  pgdir="$(mktemp -d)"; chmod 755 "$pgdir"
  eval "$(node -e "
    import('./infra/local/index.js').then(async (m) => {
      // A throwaway cluster, like npm test's (infra/jest.sh): durability would only slow the mutants down.
      const pg = await m.startPostgres({ dir: '$pgdir/pg', port: await m.freePort(), durability: 'fast' });
      // embedded-postgres stops with this process: then each jest run starts its own (slower, still correct).
      if (pg.kind === 'system') console.log('export LOCKWELL_TEST_PG_EXTERNAL=1 LOCKWELL_TEST_PG_URL=' + JSON.stringify(pg.url('{db}')));
    });")"
  trap 'node -e "import(\"./infra/local/index.js\").then((m) => m.stopPostgres(\"$pgdir/pg\"))"; rm -rf "$pgdir"' EXIT
  export STRYKER_INCREMENTAL=1
  [ "$mode" = full ] && export STRYKER_FORCE=1
  start=$(date +%s)
  for t in "${torun[@]}"; do
    echo "== mutation target $t ($mode)"
    t0=$(date +%s)
    if STRYKER_TARGET="$t" stryker run stryker.config.mjs; then
      node infra/mutation-fingerprint.mjs "$t" > "reports/mutation/incremental/$t.fingerprint"
    else
      status=1
    fi
    echo "== $t took $(( $(date +%s) - t0 )) s"
  done
  echo "== mutation testing took $(( $(date +%s) - start )) s"
fi
node infra/mutation-report.mjs "${targets[@]}" || status=1
exit $status
