#!/usr/bin/env bash
# Unit tests without emulators (Python, then the web app's under Node's test
# runner), then integration and e2e tests inside the emulator suite. Exits
# with the first failing step's status.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=functions/venv/bin/python
# Java, firebase-tools and the Firestore launcher, as scripts/setup.sh found
# them; `make test` sources it too, this lets the script run on its own.
if [ ! -f .cache/env.sh ]; then
  echo "no .cache/env.sh: run 'make setup' (or 'make test') first" >&2
  exit 2
fi
source .cache/env.sh
mkdir -p test-output

"$PY" -m pytest tests/unit -q -p no:cacheprovider
unit=$?
bash scripts/build_web.sh --deps && (cd web && npm test --silent)
web=$?
echo "web unit tests: exit $web"
"$PY" scripts/suite.py exec -- "$PY" -m pytest tests/integration tests/e2e rules tests/browser -q -p no:cacheprovider
emulated=$?
echo "unit tests: exit $unit; web unit tests: exit $web; emulator tests: exit $emulated"
if [ "$unit" -ne 0 ]; then exit "$unit"; fi
if [ "$web" -ne 0 ]; then exit "$web"; fi
exit "$emulated"
