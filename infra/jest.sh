#!/usr/bin/env bash
# usage: bash ../../infra/jest.sh [jest args]   (run from a workspace by its "test" script)
# Runs jest in native-ESM mode (NestJS 12 / MikroORM 7 are ESM-only) and keeps a JSON report per
# workspace in .test-results/ so infra/test-summary.mjs can check that every workspace reported. A workspace
# with no tests fails (jest exits 1) unless its test script adds --passWithNoTests (listed in test-summary.mjs).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
name="$(basename "$PWD")"
mkdir -p "$root/.test-results"
# Throwaway test clusters may skip fsync (see infra/local/jest-global-setup.js); npm start never does.
export LOCKWELL_TEST_PG_DURABILITY="${LOCKWELL_TEST_PG_DURABILITY:-fast}"
export NODE_OPTIONS="--experimental-vm-modules --disable-warning=ExperimentalWarning ${NODE_OPTIONS:-}"
exec jest --ci --forceExit --json --outputFile="$root/.test-results/$name.json" "$@"
