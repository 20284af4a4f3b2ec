# pulumi_phonecfg: developer and CI entry points.
#
#   make test       everything CI runs, fastest checks first: lint, unit tests, contract and emulator tests, the
#                   Pulumi CLI build, the end-to-end tests, then the wheel check
#   make test-fast  lint + pytest without the end-to-end tests (no CLI needed)
#   make schema     regenerate schema.json (the native provider's package schema) from the field table
#   make sdk        regenerate the SDKs sdk/nodejs, sdk/python, sdk/go from schema.json (`make sdk-check`: unchanged?)
#   make wheel-check  build wheel + sdist, install the wheel into a clean venv, deploy a small program with it
#   make demo       local emulator + `pulumi up` of the root project (stack "demo"); `make demo-stop` afterwards
#   eval "$(make -s env)"   puts the offline Pulumi environment below into your shell
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

help:
	@sed -n '3,10p' $(firstword $(MAKEFILE_LIST)) | sed 's/^# \{0,1\}//'

## Python: .venv with the package (editable) and its dev extras (which include the emulator extra); reinstalled
## when pyproject.toml changes.
venv: $(STAMP)

install: $(STAMP)

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# The generated Python SDK (pulumi_phonecfg_native, sdk/python) goes in beside it, for its tests.
$(STAMP): pyproject.toml sdk/python/setup.py | $(PY)
	$(PY) -m pip install --quiet -e '.[dev]' -e ./sdk/python
	touch $@

## Pulumi CLI, dynamic-provider shim and the Python, YAML and Node.js language hosts in .pulumi/bin (cached build;
## see the script).
cli:
	scripts/install-pulumi.sh
	@mkdir -p $(PULUMI_HOME) $(PULUMI_DIR)/state

lint: $(STAMP)
	$(PY) -m ruff check pulumi_phonecfg tests __main__.py
	$(PY) -m ruff format --check pulumi_phonecfg tests __main__.py
	$(PY) -m mypy --strict pulumi_phonecfg

## The native provider's package schema, generated from the field table (pulumi_phonecfg/fields.py) and checked
## in; tests/unit/test_field_table.py fails when it is stale.
.PHONY: schema
schema: $(STAMP)
	$(PY) -m pulumi_phonecfg.native.schema > schema.json

## The SDKs generated from schema.json by scripts/sdkgen (pkg/v3's codegen at the CLI's version; the built
## generator is cached in ~/.cache/pulumi_phonecfg): checked in; `sdk-check` fails when regenerating changes them.
.PHONY: sdk sdk-check
sdk:
	scripts/sdk.sh

sdk-check:
	scripts/sdk.sh --check

# Fails fast: the checks that take seconds run before the CLI build and the minutes of end-to-end tests.
test: $(STAMP) lint test-unit
	$(PY) -m pytest tests --ignore=tests/unit -m 'not e2e' $(PYTEST_ARGS)
	$(MAKE) --no-print-directory cli
	$(MAKE) --no-print-directory sdk-check  # after the CLI build: the generator's build reuses its Go build cache
	$(MAKE) --no-print-directory test-e2e
	$(MAKE) --no-print-directory wheel-check

test-unit: $(STAMP)
	$(PY) -m pytest tests/unit $(PYTEST_ARGS)

test-fast: $(STAMP) lint
	$(PY) -m pytest tests -m 'not e2e' $(PYTEST_ARGS)

test-e2e: $(STAMP) cli
	$(PY) -m pytest tests -m e2e $(PYTEST_ARGS)

## The wheel as a user gets it: see scripts/wheel_check.py.
wheel-check: $(STAMP) cli
	PYTHON=$(PYTHON) $(PY) scripts/wheel_check.py

## Demo: emulator on 127.0.0.1:8787 (state in .demo/), stack "demo" in the local file backend.
demo: $(STAMP) cli
	scripts/demo.sh up

demo-stop:
	scripts/demo.sh stop

demo-clean: $(STAMP) cli
	scripts/demo.sh clean

## Promotion walkthrough of examples/promotion: dev -> staging -> prod on three emulators (free ports), in
## .promotion-demo/ (own file backend); prints the request counts per stage. Emulators stop when it ends.
.PHONY: promotion-demo
promotion-demo: $(STAMP) cli
	scripts/promotion-demo.sh python

## The same walkthrough with examples/yaml-promotion (Pulumi YAML, native plugin from the venv), in .promotion-demo-yaml/.
.PHONY: promotion-demo-yaml
promotion-demo-yaml: $(STAMP) cli
	scripts/promotion-demo.sh yaml

## Benchmarks: the provider through the engine vs the imperative baseline, tables + plots into docs/.
## `make bench BENCH_ARGS="--large"` adds N = 500 and 1,000; `--latency-ms`, `--parallel`: see bench/run.py.
BENCH_ARGS ?=
BENCH_STAMP := $(VENV)/.phonecfg-bench-installed
.PHONY: bench

$(BENCH_STAMP): pyproject.toml | $(STAMP)
	$(PY) -m pip install --quiet -e '.[dev,bench]'
	touch $@

bench: $(STAMP) $(BENCH_STAMP) cli
	$(PY) bench/run.py $(BENCH_ARGS)

## IBM's ADK (ibm-watsonx-orchestrate) in its own cached venv for tests/conformance; the tests also build it on first use.
.PHONY: adk-venv
adk-venv:
	scripts/adk-venv.sh >/dev/null

## Prints the Pulumi environment as shell exports: eval "$$(make -s env)"
env:
	@$(foreach v,$(PULUMI_ENV_VARS),printf 'export %s=%q\n' '$(v)' "$$$(v)";)

clean:
	rm -rf .pytest_cache .mypy_cache .ruff_cache build dist *.egg-info
