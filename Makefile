# pulumi_phonecfg: developer and CI entry points. `make help` (the default goal) lists the targets, from the `##`
# comment on each target's line: `make demo` to try it, `make test` for everything CI runs.
#
# Make stops at the first failing command (every recipe runs under bash -eu -o pipefail).

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:
MAKEFLAGS += --no-builtin-rules

PYTHON ?= python3.11
VENV := $(CURDIR)/.venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.phonecfg-installed
PYTEST_ARGS ?=

# ---- the Pulumi environment: fully offline, file backend, passphrase secrets (the one place it is defined; ----
# ---- tests/e2e/helpers.py and scripts read it from here, through `make -s env` or by running under make)  ----
PULUMI_DIR := $(CURDIR)/.pulumi
export PATH := $(PULUMI_DIR)/bin:$(VENV)/bin:$(PATH)
export PULUMI_HOME := $(PULUMI_DIR)/home
export PULUMI_BACKEND_URL := file://$(PULUMI_DIR)/state
# Local demo/test passphrase only: it protects nothing but the throwaway local stack config.
export PULUMI_CONFIG_PASSPHRASE ?= phonecfg-local-demo-passphrase
export PULUMI_SKIP_UPDATE_CHECK := true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION := true
export PULUMI_SKIP_CONFIRMATIONS := true
export PULUMI_PYTHON_CMD := $(PY)
PULUMI_ENV_VARS := PATH PULUMI_HOME PULUMI_BACKEND_URL PULUMI_CONFIG_PASSPHRASE PULUMI_SKIP_UPDATE_CHECK \
	PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION PULUMI_SKIP_CONFIRMATIONS PULUMI_PYTHON_CMD

.PHONY: help venv install cli lint test test-unit test-fast test-e2e wheel-check demo demo-stop demo-clean env clean

help: ## this list (each target's `##` comment)
	@awk -F ':.*## ' '/^[a-zA-Z0-9_-]+:.*## / { printf "  make %-15s %s\n", $$1, $$2 }' $(firstword $(MAKEFILE_LIST))
	@echo '  eval "$$(make -s env)"  puts the offline Pulumi environment into your shell'

## Python: .venv with the package (editable) and its dev extras (which include the emulator extra); reinstalled
## when pyproject.toml changes.
venv: $(STAMP) ## .venv with the package (editable), its dev and emulator extras

install: $(STAMP)

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

## Pulumi CLI + Python language host + dynamic-provider shim in .pulumi/bin (cached build; see the script).
cli: ## the Pulumi CLI, language host and dynamic-provider shim in .pulumi/bin (cached build)
	scripts/install-pulumi.sh
	@mkdir -p $(PULUMI_HOME) $(PULUMI_DIR)/state

# Every Python file of the repository (ruff finds them, skipping what .gitignore lists; Markdown code blocks are
# left as written: pyproject.toml), then the package, bench/ and scripts/ type-checked strictly.
lint: $(STAMP) ## ruff check + ruff format --check on every Python file, mypy --strict on the package, bench/, scripts/
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy --strict pulumi_phonecfg
	$(PY) -m mypy --strict bench scripts

# Fails fast: the checks that take seconds run before the CLI build and the minutes of end-to-end tests.
test: $(STAMP) lint test-unit ## everything CI runs, fastest first (lint ... end-to-end tests, wheel check)
	$(PY) -m pytest tests --ignore=tests/unit -m 'not e2e' $(PYTEST_ARGS)
	$(MAKE) --no-print-directory test-e2e
	$(MAKE) --no-print-directory wheel-check

test-unit: $(STAMP) ## the unit tests (seconds)
	$(PY) -m pytest tests/unit $(PYTEST_ARGS)

test-fast: $(STAMP) lint ## lint + every test but the end-to-end ones (no CLI needed)
	$(PY) -m pytest tests -m 'not e2e' $(PYTEST_ARGS)

test-e2e: $(STAMP) cli ## the end-to-end tests through the real Pulumi CLI
	$(PY) -m pytest tests -m e2e $(PYTEST_ARGS)

## The wheel as a user gets it: see scripts/wheel_check.py.
wheel-check: $(STAMP) cli ## build wheel + sdist, install the wheel into a clean venv, deploy a small program with it
	PYTHON=$(PYTHON) $(PY) scripts/wheel_check.py

## Demo: emulator on 127.0.0.1:8787 (state in .demo/), stack "demo" in the local file backend.
demo: $(STAMP) cli ## emulator (PHONECFG_DEMO_PORT, default 8787) + `pulumi up` of the root project, stack "demo"
	scripts/demo.sh up

demo-stop: $(STAMP) ## stop the demo emulator (keeps the stack and its database)
	scripts/demo.sh stop

demo-clean: $(STAMP) cli ## destroy and remove the demo stack, stop the emulator, wipe .demo/
	scripts/demo.sh clean

## Promotion walkthrough of examples/promotion: dev -> staging -> prod on three emulators (free ports), in
## .promotion-demo/ (own file backend); prints the request counts per stage. Emulators stop when it ends.
.PHONY: promotion-demo
promotion-demo: $(STAMP) cli ## examples/promotion dev -> staging -> prod on three emulators
	scripts/promotion-demo.sh

## Benchmarks: the provider through the engine vs the imperative baseline, tables + plots into docs/.
## `make bench BENCH_ARGS="--large"` adds N = 500 and 1,000; `--latency-ms`, `--parallel`: see bench/run.py.
BENCH_ARGS ?=
BENCH_STAMP := $(VENV)/.phonecfg-bench-installed
.PHONY: bench

$(BENCH_STAMP): pyproject.toml | $(STAMP)
	$(PY) -m pip install --quiet -e '.[dev,bench]'
	touch $@

bench: $(STAMP) $(BENCH_STAMP) cli ## benchmarks into docs/ (BENCH_ARGS="--large" for N = 500 and 1,000)
	$(PY) bench/run.py $(BENCH_ARGS)

## IBM's ADK (ibm-watsonx-orchestrate) in its own cached venv for tests/conformance; the tests also build it on first use.
.PHONY: adk-venv
adk-venv: ## IBM's ADK in its own cached venv (tests/conformance)
	scripts/adk-venv.sh >/dev/null

## Prints the Pulumi environment as shell exports: eval "$$(make -s env)"
env: ## prints the offline Pulumi environment as shell exports (the one place it is defined)
	@$(foreach v,$(PULUMI_ENV_VARS),printf 'export %s=%q\n' '$(v)' "$$$(v)";)

clean: ## remove caches and build output
	rm -rf .pytest_cache .mypy_cache .ruff_cache build dist *.egg-info
