#!/usr/bin/env bash
# Unit tests without emulators, then integration and e2e tests inside the
# emulator suite. Exits with pytest's status (the first failure's).
set -uo pipefail
cd "$(dirname "$0")/.."
PY=functions/venv/bin/python
mkdir -p test-output

"$PY" -m pytest tests/unit -q -p no:cacheprovider
unit=$?
"$PY" scripts/suite.py exec -- "$PY" -m pytest tests/integration tests/e2e rules tests/browser -q -p no:cacheprovider
emulated=$?
echo "unit tests: exit $unit; emulator tests: exit $emulated"
if [ "$unit" -ne 0 ]; then exit "$unit"; fi
exit "$emulated"
