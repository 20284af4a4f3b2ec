#!/usr/bin/env bash
# Generates the Node.js, Python and Go SDKs of the native provider (sdk/nodejs, sdk/python, sdk/go) from the
# checked-in schema.json, with the generator in scripts/sdkgen (pkg/v3's codegen at the CLI's version).
#
#   scripts/sdk.sh           regenerate sdk/ in place (`make sdk`): each sdk/<language> is replaced whole, build
#                            products in it (node_modules, bin, *.egg-info) included
#   scripts/sdk.sh --check   regenerate into a temporary directory and fail, listing the differences, when that
#                            is not what sdk/ holds (`make sdk-check`, part of `make test`)
#
# The generator binary is cached like the CLI, in ~/.cache/pulumi_phonecfg/sdkgen-<hash of its sources>/: it is
# rebuilt only when scripts/sdkgen changes (~25 s after the CLI build, whose Go build cache it shares; ~2-4 min
# on 2 cores with a cold Go build cache). After generating,
# `go mod tidy` in sdk/go writes its go.sum (and the indirect requirements) from the Go module cache.
# Build products that land in sdk/ when it is used in place (node_modules, bin, *.egg-info, __pycache__…) are
# not compared.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SRC="$ROOT/scripts/sdkgen"
CACHE_BASE="${PHONECFG_CLI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi_phonecfg}"
# The CLI's build flags (scripts/install-pulumi.sh): the generator shares most of pkg/v3's dependency graph with
# the CLI, so after a CLI build the Go build cache already holds nearly every package it needs (~25 s instead of
# ~2-4 min on 2 cores).
BUILD_FLAGS=(-mod=readonly -trimpath -tags osusergo,grpcnotrace)
KEY="$( { cat "$SRC/main.go" "$SRC/go.mod" "$SRC/go.sum"; echo "${BUILD_FLAGS[*]}"; } | sha256sum | cut -c1-16)"
CACHE="$CACHE_BASE/sdkgen-$KEY"
SDKGEN="$CACHE/sdkgen"
# Left out of the comparison: what npm, tsc, pip and Python write into an SDK directory used in place.
BUILD_PRODUCTS=(node_modules bin '*.egg-info' __pycache__ build dist .mypy_cache)

say() { printf '[sdk] %s\n' "$*" >&2; }

build_generator() {
  mkdir -p "$CACHE_BASE"
  exec 8>"$CACHE.lock"
  flock 8
  if [ -x "$SDKGEN" ]; then return 0; fi
  command -v go >/dev/null 2>&1 || { say "no Go toolchain: cannot build the SDK generator"; exit 1; }
  say "building the SDK generator into $CACHE"
  local t0=$SECONDS
  mkdir -p "$CACHE.partial"
  (cd "$SRC" && CGO_ENABLED=0 go build "${BUILD_FLAGS[@]}" -o "$CACHE.partial/sdkgen" .)
  rm -rf "$CACHE" && mv "$CACHE.partial" "$CACHE"
  say "generator built in $((SECONDS - t0)) s"
}

generate() {  # generate OUT -> OUT/nodejs, OUT/python, OUT/go
  local out="$1"
  "$SDKGEN" -schema "$ROOT/schema.json" -out "$out"
  (cd "$out/go" && GOFLAGS=-mod=mod go mod tidy)
}

[ -x "$SDKGEN" ] || build_generator

if [ "${1:-}" != "--check" ]; then
  generate "$ROOT/sdk"
  say "sdk/ regenerated from schema.json"
  exit 0
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
generate "$WORK/sdk" 2>/dev/null
excludes=()
for p in "${BUILD_PRODUCTS[@]}"; do excludes+=(--exclude="$p"); done
if ! diff -r "${excludes[@]}" "$WORK/sdk" "$ROOT/sdk" >"$WORK/diff"; then
  head -n 60 "$WORK/diff" >&2
  say "sdk/ is not what schema.json generates: run \`make sdk\` and commit the result"
  exit 1
fi
say "sdk/ is what schema.json generates"
