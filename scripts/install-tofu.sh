#!/usr/bin/env bash
# Puts an OpenTofu CLI (`tofu`) into .tofu/bin/, for the Terraform face's end-to-end tests and for users trying it.
#
# No release download is reachable on our machines, so `tofu` is built from the Go module proxy.
# `go install github.com/opentofu/opentofu/cmd/tofu@vX` is refused (its go.mod has a `replace` for hcl/v2), so the
# module is downloaded (`go mod download`), copied somewhere writable and built inside its own directory, where its
# replace directives apply. Cold on 2 cores: 3 to 7 minutes (174 s and 394 s seen; ~1.8 GB of memory at its peak)
# and a ~160 MB binary; the per-user cache
# (~/.cache/pulumi_phonecfg/tofu-vX) makes a second run take < 1 s.
# Order of preference: .tofu/bin already holds the pinned version -> nothing; a `tofu` on PATH of the pinned
# minor version -> link it; the cache -> copy; else build into the cache, then copy.
# Concurrent runs serialize on a lock next to the cache.
set -euo pipefail

V="${TOFU_VERSION:-1.12.6}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="$ROOT/.tofu/bin"
CACHE_BASE="${PHONECFG_CLI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi_phonecfg}"
CACHE="$CACHE_BASE/tofu-v$V"

say() { printf '[install-tofu] %s\n' "$*" >&2; }

version_of() {  # version_of BINARY -> "1.12.6" or nothing
  "$1" version -json 2>/dev/null | sed -n 's/.*"terraform_version": *"\([^"]*\)".*/\1/p' | head -n1
}

if [ -x "$BIN/tofu" ] && [ "$(version_of "$BIN/tofu")" = "$V" ]; then
  exit 0
fi
mkdir -p "$BIN"

if on_path="$(command -v tofu 2>/dev/null)" && [ "$on_path" != "$BIN/tofu" ]; then
  have="$(version_of "$on_path")"
  if [ "${have%.*}" = "${V%.*}" ]; then
    ln -sf "$on_path" "$BIN/tofu"
    say "using tofu $have from PATH"
    exit 0
  fi
fi

mkdir -p "$CACHE_BASE"
exec 9>"$CACHE_BASE/tofu-v$V.lock"
if ! flock -n 9; then
  say "another install is building into $CACHE; waiting for it"
  flock 9
fi

if ! { [ -x "$CACHE/tofu" ] && [ "$(version_of "$CACHE/tofu")" = "$V" ]; }; then
  command -v go >/dev/null 2>&1 || { say "no Go toolchain: cannot build tofu"; exit 1; }
  start=$SECONDS
  WORK="$(mktemp -d)"; trap 'chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT
  say "building tofu v$V from the Go module proxy into $CACHE (cold: 3 to 7 minutes)"
  dir="$(cd "$WORK" && GOFLAGS=-mod=mod go mod download -json "github.com/opentofu/opentofu@v$V" \
         | sed -n 's/^[[:space:]]*"Dir": *"\([^"]*\)".*/\1/p')"
  [ -n "$dir" ] && [ -d "$dir" ] || { say "go mod download gave no module directory"; exit 1; }
  cp -r "$dir" "$WORK/src"
  chmod -R u+w "$WORK/src"
  mkdir -p "$CACHE"
  # The version ldflag makes `tofu version` print the release instead of a dev build marker.
  (cd "$WORK/src" && CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath \
      -ldflags "-s -w -X github.com/opentofu/opentofu/version.dev=no" -o "$CACHE/tofu.tmp" ./cmd/tofu)
  mv "$CACHE/tofu.tmp" "$CACHE/tofu"
  say "built in $((SECONDS - start)) s"
fi

cp "$CACHE/tofu" "$BIN/tofu.tmp" && mv "$BIN/tofu.tmp" "$BIN/tofu"
say "tofu $(version_of "$BIN/tofu") in $BIN"
