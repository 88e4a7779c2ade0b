#!/usr/bin/env bash
# Builds the web app (web/) into the Hosting public folder (web/dist).
# Idempotent and cheap when nothing changed: `npm ci` runs only when
# web/package-lock.json changed (stamp in .cache/), the build only when the
# web sources or the lock changed. FORCE=1 rebuilds anyway. With --deps it
# only installs the dependencies (what the web unit tests need) and builds
# nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
CACHE="$ROOT/.cache"
WEB="$ROOT/web"
OUT="$WEB/dist"
mkdir -p "$CACHE"

log() { printf '[build-web] %s\n' "$*" >&2; }

if ! command -v npm >/dev/null 2>&1; then
  log "npm not found: Node.js 20+ with npm 11 is required to build the web app (web/)."
  exit 1
fi

lock_sum="$(sha256sum "$WEB/package-lock.json" | cut -d' ' -f1)"
if [ ! -d "$WEB/node_modules" ] || [ ! -f "$CACHE/web-deps.stamp" ] || [ "$(cat "$CACHE/web-deps.stamp")" != "$lock_sum" ]; then
  log "installing web dependencies from web/package-lock.json"
  (cd "$WEB" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$lock_sum" >"$CACHE/web-deps.stamp"
fi
if [ "${1:-}" = "--deps" ]; then
  exit 0
fi

# Everything the build reads: sources, config and the lock file.
inputs=()
for path in index.html src public vite.config.ts tsconfig.json package.json package-lock.json; do
  [ -e "$WEB/$path" ] && inputs+=("$path")
done
src_sum="$(cd "$WEB" && find "${inputs[@]}" -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)"
if [ "${FORCE:-0}" != "1" ] && [ -f "$OUT/index.html" ] && [ -f "$CACHE/web-build.stamp" ] &&
   [ "$(cat "$CACHE/web-build.stamp")" = "$src_sum" ]; then
  exit 0
fi
log "building web/ into web/dist"
(cd "$WEB" && npx --no-install vite build --logLevel warn)
echo "$src_sum" >"$CACHE/web-build.stamp"
