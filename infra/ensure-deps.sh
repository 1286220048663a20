#!/usr/bin/env bash
# Sourced by start.sh and test.sh: `npm install` when node_modules is missing or older than the manifests
# (npm install, not npm ci: this registry lacks some non-Linux optional packages the lockfile names).
if [ ! -x node_modules/.bin/node ] || [ ! -x node_modules/.bin/turbo ] \
  || [ -n "$(find package.json package-lock.json apps/*/package.json packages/*/package.json infra/local/package.json e2e/package.json -newer node_modules/.package-lock.json 2>/dev/null | head -1)" ]; then
  echo "lockwell: installing dependencies (npm install)…"
  npm install --no-audit --no-fund
fi
