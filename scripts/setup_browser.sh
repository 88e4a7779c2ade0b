#!/usr/bin/env bash
# Makes a real browser available to the browser tests (tests/browser):
# Debian's Chromium at /usr/bin/chromium, driven by the PyPI package
# playwright (Playwright's own browser download does not work offline).
# Installs with apt-get when running as root and it is missing; otherwise
# says how to enable the tests. Never fails the set-up: without a browser
# the browser tests skip with the same message.
set -uo pipefail

log() { printf '[setup-browser] %s\n' "$*" >&2; }
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"

if [ -x "$CHROMIUM" ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  log "installing Debian chromium (about a minute)"
  if DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null &&
     DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null; then
    log "chromium installed: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
    exit 0
  fi
  log "apt-get could not install chromium; the browser tests will skip"
  exit 0
fi
log "no Chromium at $CHROMIUM: the browser tests (tests/browser) will skip."
log "to enable them: sudo apt-get install -y chromium   (Debian/Ubuntu),"
log "or set CHROMIUM_PATH to a Chromium/Chrome binary."
exit 0
