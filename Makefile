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

.PHONY: help venv install cli tofu lint test test-unit test-fast test-e2e wheel-check demo demo-stop demo-clean env clean

help: ## this list (each target's `##` comment)
	@awk -F ':.*## ' '/^[a-zA-Z0-9_-]+:.*## / { printf "  make %-20s %s\n", $$1, $$2 }' $(firstword $(MAKEFILE_LIST))
	@echo '  eval "$$(make -s env)"  puts the offline Pulumi environment into your shell'

## Python: .venv with the package (editable) and its dev extras (which include the emulator extra); reinstalled
## when pyproject.toml changes.
venv: $(STAMP) ## .venv with the package (editable), its dev and emulator extras

install: $(STAMP)

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# The generated Python SDK (pulumi_phonecfg_native, sdk/python) goes in beside it, for its tests.
$(STAMP): pyproject.toml sdk/python/setup.py | $(PY)
	$(PY) -m pip install --quiet -e '.[dev]' -e ./sdk/python
	touch $@

## Pulumi CLI, dynamic-provider and policy-pack shims and the Python, YAML and Node.js language hosts in .pulumi/bin (cached build;
## see the script).
cli: ## the Pulumi CLI, its language hosts (Python, YAML, Node.js), the dynamic-provider and policy-pack shims in .pulumi/bin
	scripts/install-pulumi.sh
	@mkdir -p $(PULUMI_HOME) $(PULUMI_DIR)/state

## OpenTofu CLI in .tofu/bin, for the Terraform face's end-to-end tests (built from the Go module proxy and cached;
## see the script).
tofu: ## the OpenTofu CLI (`tofu`) in .tofu/bin
	scripts/install-tofu.sh

# Every Python file of the repository (ruff finds them, skipping what .gitignore lists; Markdown code blocks are
# left as written: pyproject.toml), then the package, bench/ and scripts/ type-checked strictly.
lint: $(STAMP) ## ruff check + ruff format --check on every Python file, mypy --strict on the package, bench/, scripts/
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy --strict pulumi_phonecfg
	$(PY) -m mypy --strict bench scripts

# Both generated from the field table; tests/core/schema/test_field_table.py fails when either is stale. The args
# module is written beside and then moved, so a failed run leaves the package importable.
# The reference pages follow (tests/commands/test_reference_docs.py fails when they are stale).
.PHONY: schema
schema: $(STAMP) ## regenerate schema.json, the dynamic PhoneConfig's typed args and docs/reference from the field table
	$(PY) -m pulumi_phonecfg.native.schema > schema.json
	$(PY) -m pulumi_phonecfg.dynamic.args_codegen > pulumi_phonecfg/dynamic/phone_config_args.py.new
	mv pulumi_phonecfg/dynamic/phone_config_args.py.new pulumi_phonecfg/dynamic/phone_config_args.py
	$(PY) -m pulumi_phonecfg.commands.reference_docs docs >/dev/null

# The reference pages (docs/reference/*.md, and the key table of docs/installation-configuration.md) come from the
# field table and the native schema;
# tests/commands/test_reference_docs.py fails when they are stale.
.PHONY: reference-docs docs
reference-docs: $(STAMP) ## regenerate docs/reference/*.md from the field table (also part of make schema, make docs)
	$(PY) -m pulumi_phonecfg.commands.reference_docs docs >/dev/null

# The site (mkdocs.yml; mkdocs-material, from the `docs` extra) into site/, strict: any warning, a broken link or
# anchor fails. Guides dropped into docs/guides/ are listed by docs/.nav.yml's glob, no edit needed.
docs: $(STAMP) reference-docs ## regenerate the reference pages, then build the site into site/ (strict)
	NO_MKDOCS_2_WARNING=1 $(PY) -m mkdocs build --strict --quiet

# The SDKs are generated by scripts/sdkgen (pkg/v3's codegen at the CLI's version; the built generator is cached
# in ~/.cache/pulumi_phonecfg) and checked in.
.PHONY: sdk sdk-check
sdk: ## regenerate the SDKs sdk/nodejs, sdk/python and sdk/go from schema.json
	scripts/sdk.sh

sdk-check: ## fail when regenerating the SDKs from schema.json would change sdk/ (part of make test)
	scripts/sdk.sh --check

# Fails fast: the checks that take seconds run before the CLI build and the minutes of end-to-end tests.
test: $(STAMP) lint docs test-unit chromium ## everything CI runs, fastest first (lint ... end-to-end tests, wheel check)
	$(PY) -m pytest tests $(addprefix --ignore=,$(PACKAGE_TESTS)) -m 'not e2e' $(PYTEST_ARGS)
	$(MAKE) --no-print-directory cli
	$(MAKE) --no-print-directory sdk-check  # after the CLI build: the generator's build reuses its Go build cache
	$(MAKE) --no-print-directory test-e2e
	$(MAKE) --no-print-directory wheel-check

# The tests of the package's own folders (tests/ mirrors pulumi_phonecfg/): unit tests and the gRPC contract tests
# of both faces, seconds each. The emulator's tests, the demo's and the end-to-end tests run after them.
PACKAGE_TESTS := tests/core tests/dynamic tests/native tests/terraform tests/commands tests/policy
test-unit: $(STAMP) ## the tests of the core, the faces and the commands (seconds; no CLI needed)
	$(PY) -m pytest $(PACKAGE_TESTS) -m 'not e2e' $(PYTEST_ARGS)

test-fast: $(STAMP) lint ## lint + every test but the end-to-end ones (no CLI needed)
	$(PY) -m pytest tests -m 'not e2e' $(PYTEST_ARGS)

test-e2e: $(STAMP) cli tofu postgres ## the end-to-end tests through the real Pulumi and OpenTofu CLIs
	$(PY) -m pytest tests -m e2e $(PYTEST_ARGS)

## PostgreSQL's server binaries for the tests of the PostgreSQL state backend (tests/e2e/test_postgres_backend.py,
## which start a throwaway server of their own through the same script). Outside CI a machine where they cannot be
## installed (not root, no apt-get) only skips those tests.
## Headless Chromium for the site's smoke test (tests/docs/test_site.py); outside CI a machine without it only skips it.
.PHONY: chromium
chromium: ## headless Chromium for the docs smoke test (scripts/chromium.sh install: apt-get install chromium if missing)
	scripts/chromium.sh install $(if $(CI),,|| echo "[chromium] not installed: the site's smoke test will skip")

.PHONY: postgres
postgres: ## PostgreSQL for the team-backend tests (scripts/postgres.sh install: apt-get install postgresql if missing)
	scripts/postgres.sh install $(if $(CI),,|| echo "[postgres] not installed: the PostgreSQL backend tests will skip")

## The artifacts a user installs, into dist/: see scripts/dist.py.
.PHONY: dist
dist: $(STAMP) ## the wheel + sdist, the Python SDK's wheel and the npm package (compiled bin/) into dist/
	$(PY) scripts/dist.py --outdir dist

## Every artifact as a user gets it: see scripts/wheel_check.py.
wheel-check: $(STAMP) cli tofu ## build every artifact, install each into a fresh project of its language, deploy with it
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
	scripts/promotion-demo.sh python

## The same walkthrough with examples/yaml-promotion (Pulumi YAML, native plugin from the venv), in .promotion-demo-yaml/.
.PHONY: promotion-demo-yaml
promotion-demo-yaml: $(STAMP) cli ## examples/yaml-promotion (Pulumi YAML, native plugin) the same way
	scripts/promotion-demo.sh yaml

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

## IBM's ADK (ibm-watsonx-orchestrate) in its own cached venv for tests/emulator/conformance; the tests also build it on first use.
.PHONY: adk-venv
adk-venv: ## IBM's ADK in its own cached venv (tests/emulator/conformance)
	scripts/adk-venv.sh >/dev/null

## Prints the Pulumi environment as shell exports: eval "$$(make -s env)"
env: ## prints the offline Pulumi environment as shell exports (the one place it is defined)
	@$(foreach v,$(PULUMI_ENV_VARS),printf 'export %s=%q\n' '$(v)' "$$$(v)";)

clean: ## remove caches and build output
	rm -rf .pytest_cache .mypy_cache .ruff_cache build dist site *.egg-info
