#!/usr/bin/env bash
# Benchmarks: pure slot computation, then booking and API figures and the
# booking page's weight and time to first free times, measured inside the
# emulator suite. Prints numbers; asserts nothing about time.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=functions/venv/bin/python
PYTHONPATH=functions "$PY" bench/slots_bench.py
benches=("$PY bench/booking_bench.py" "$PY bench/parallel_bench.py" "$PY bench/time_off_bench.py" "$PY bench/reminders_bench.py")
if [ -f bench/api_bench.py ]; then benches+=("$PY bench/api_bench.py"); fi
benches+=("$PY bench/waitlist_bench.py")
benches+=("$PY bench/series_bench.py")
benches+=("$PY bench/hot_sheet_bench.py" "$PY bench/scale_bench.py")  # scale: N=500 with SCALE_BENCH_500=1
benches+=("$PY bench/web_bench.py")
joined=$(printf '%s && ' "${benches[@]}")
"$PY" scripts/suite.py exec -- bash -c "${joined% && }" 2>&1 | grep -v '^>  {"severity"\|^i  \|^\[hosting\]\|^✔  \|^⚠  '
