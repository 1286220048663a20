#!/usr/bin/env bash
# usage: npm run screenshots   — rewrites docs/screenshots/*.png (shown in the README) from the console's browser
# test: builds, runs e2e/console.e2e.spec.ts with LOCKWELL_SCREENSHOTS=1 (each screen the test checks is saved,
# long pages cut at 1600 px), then shrinks the PNGs with pngquant (apt-get install pngquant) so the repository
# stays small. Without pngquant the full-size PNGs are kept and it says so.
set -euo pipefail
cd "$(dirname "$0")/.."
source infra/ensure-deps.sh
node_modules/.bin/node -e "import('./infra/local/index.js').then((m) => { m.ensureNatsServer(console.log); m.ensureChromium(console.log); })"
node_modules/.bin/turbo run build
(cd e2e && LOCKWELL_SCREENSHOTS=1 npm test -- console.e2e.spec.ts)
if command -v pngquant >/dev/null; then
  # 256 colours at most, dithered; files that would not shrink are left as they are (exit code 99).
  for f in docs/screenshots/*.png; do
    pngquant --quality=65-90 --speed 1 --strip --force --skip-if-larger --output "$f" "$f" || [ $? -eq 99 ]
  done
else
  echo "pngquant is missing (apt-get install pngquant): docs/screenshots/*.png are full size"
fi
du -ch docs/screenshots/*.png | tail -1
