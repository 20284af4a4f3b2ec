#!/usr/bin/env bash
# Puts a Pulumi CLI, the dynamic-provider shim and the Python language host into .pulumi/bin/.
#
# The CLI cannot be downloaded from get.pulumi.com on our machines, so it is built from the Go module proxy
# (pkg/v3 and sdk/v3 pinned to the same version, version ldflag set so the Automation API accepts it).
# Order of preference:
#   1. .pulumi/bin already holds the pinned version            -> nothing to do (a second run takes < 1 s)
#   2. a `pulumi` on PATH at least PULUMI_MIN_VERSION, with the language host and shim next to it -> link them
#   3. the per-user build cache (~/.cache/pulumi_phonecfg/pulumi-vX) -> copy
#   4. build from Go modules into the cache, then copy        -> several minutes cold on 2 cores
set -euo pipefail

V="${PULUMI_VERSION:-3.274.1}"
MIN="${PULUMI_MIN_VERSION:-3.181.0}"   # Automation API inline refresh/destroy need >= 3.181
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="$ROOT/.pulumi/bin"
CACHE="${PHONECFG_CLI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi_phonecfg}/pulumi-v$V"
NEEDED=(pulumi pulumi-resource-pulumi-python pulumi-language-python pulumi-language-python-exec)

say() { printf '[install-pulumi] %s\n' "$*" >&2; }

complete_in() {  # complete_in DIR -> all four pieces present and the CLI runs
  local d="$1" f
  for f in "${NEEDED[@]}"; do [ -e "$d/$f" ] || return 1; done
  "$d/pulumi" version >/dev/null 2>&1
}

version_ge() {  # version_ge A B -> A >= B (dotted, leading v ignored)
  [ "$(printf '%s\n%s\n' "${1#v}" "${2#v}" | sort -V | head -n1)" = "${2#v}" ]
}

mkdir -p "$BIN"

if complete_in "$BIN" && [ "$("$BIN/pulumi" version)" = "v$V" ]; then
  say "pulumi v$V already in .pulumi/bin"
  exit 0
fi

if command -v pulumi >/dev/null 2>&1 && [ "$(command -v pulumi)" != "$BIN/pulumi" ]; then
  have="$(pulumi version 2>/dev/null || true)"
  dir="$(dirname "$(readlink -f "$(command -v pulumi)")")"
  if [ -n "$have" ] && version_ge "$have" "$MIN" && complete_in "$dir"; then
    say "using pulumi $have from $dir"
    for f in "${NEEDED[@]}"; do ln -sf "$dir/$f" "$BIN/$f"; done
    exit 0
  fi
  say "ignoring pulumi on PATH (${have:-no version}): older than $MIN or missing the Python plugins"
fi

if ! complete_in "$CACHE"; then
  command -v go >/dev/null 2>&1 || { say "no Go toolchain: cannot build the Pulumi CLI"; exit 1; }
  say "building pulumi v$V from the Go module proxy into $CACHE (cold: several minutes)"
  W="$(mktemp -d)"; trap 'rm -rf "$W"' EXIT
  mkdir -p "$CACHE.partial"
  (
    cd "$W"
    export GOFLAGS=-mod=mod CGO_ENABLED=0
    go mod init example.invalid/pulumi-cli-build >/dev/null 2>&1
    # The only non-local replace in pkg/go.mod; dependency replaces are ignored, so re-add it here.
    go mod edit -replace=github.com/atotto/clipboard=github.com/tgummerer/clipboard@v0.0.0-20241001131231-d02d263e614e
    say "resolving pkg/v3@v$V and sdk/v3@v$V"
    go get "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@v$V" "github.com/pulumi/pulumi/sdk/v3@v$V"
    LD="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$V"
    say "compiling pulumi"
    go build -trimpath -tags osusergo,grpcnotrace -ldflags "$LD" -o "$CACHE.partial/pulumi" \
      github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
    SDK="$(go list -m -f '{{.Dir}}' github.com/pulumi/pulumi/sdk/v3)"
    install -m 0755 "$SDK/python/dist/pulumi-resource-pulumi-python" "$CACHE.partial/"
    # The language host has no semver tags: take the commit of the pkg/v3 tag as a pseudo-version.
    SHA="${PULUMI_COMMIT:-$(go mod download -json "github.com/pulumi/pulumi/pkg/v3@v$V" \
          | python3 -c 'import json,sys; print(json.load(sys.stdin)["Origin"]["Hash"])')}"
    say "resolving the Python language host at $SHA"
    go get "github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3@$SHA"
    go get "github.com/pulumi/pulumi/pkg/v3@v$V" "github.com/pulumi/pulumi/sdk/v3@v$V"
    say "compiling pulumi-language-python"
    go build -trimpath -tags osusergo,grpcnotrace -ldflags "$LD" -o "$CACHE.partial/pulumi-language-python" \
      github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3
    install -m 0755 "$SDK/python/cmd/pulumi-language-python-exec" "$CACHE.partial/"
  )
  rm -rf "$CACHE"; mv "$CACHE.partial" "$CACHE"
fi

for f in "${NEEDED[@]}"; do install -m 0755 "$CACHE/$f" "$BIN/$f"; done
got="$("$BIN/pulumi" version)"
[ "$got" = "v$V" ] || { say "built CLI reports $got, expected v$V"; exit 1; }
say "pulumi $got ready in .pulumi/bin"
