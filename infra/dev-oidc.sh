#!/usr/bin/env bash
# usage: npm run dev:oidc   (env: LOCKWELL_DEV_OIDC_PORT, default 9400; LOCKWELL_PORT of the gateway, default 8080)
# Starts a local OpenID provider on 127.0.0.1 with one client preconfigured for `npm start`'s callback, to try
# the connectors by hand (README "Third-party services"). Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
source infra/ensure-deps.sh
node_modules/.bin/turbo run build --filter=@lockwell/testing --output-logs=errors-only
exec node_modules/.bin/node packages/testing/dist/oidc/dev-oidc.js
