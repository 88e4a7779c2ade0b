#!/usr/bin/env bash
# Unit tests without emulators, then integration and e2e tests inside the
# emulator suite. Exits with pytest's status (the first failure's).
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
"$PY" scripts/suite.py exec -- "$PY" -m pytest tests/integration tests/e2e rules tests/browser -q -p no:cacheprovider
emulated=$?
echo "unit tests: exit $unit; emulator tests: exit $emulated"
if [ "$unit" -ne 0 ]; then exit "$unit"; fi
exit "$emulated"
