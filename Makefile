# The two commands the README promises (run, test), plus helpers.
SHELL := /bin/bash
ENV := source .cache/env.sh &&
PY := functions/venv/bin/python

.PHONY: setup setup-python run test unit bench clean

setup: ## everything run and test need, from nothing (CI starts here)
	@bash scripts/setup.sh

setup-python: ## functions/venv only: no web build, Node, Java or Chromium
	@bash scripts/setup.sh python

run: setup ## start the local suite with demo data until Ctrl-C
	@$(ENV) $(PY) scripts/suite.py run

test: setup ## unit tests, then integration and e2e inside the emulator suite
	@$(ENV) bash scripts/test.sh

unit: setup-python ## unit tests only, no emulator
	@$(PY) -m pytest tests/unit -q

bench: setup ## benchmarks: print latency and read/write figures
	@$(ENV) bash scripts/bench.sh

clean:
	rm -rf .cache node_modules functions/venv
