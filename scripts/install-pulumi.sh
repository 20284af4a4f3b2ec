#!/usr/bin/env bash
# Puts a Pulumi CLI, the dynamic-provider shim and the Python, YAML and Node.js language hosts into .pulumi/bin/.
#
# The CLI cannot be downloaded from get.pulumi.com on our machines, so it is built from the Go module proxy
# (pkg/v3 and sdk/v3 pinned to the same version, version ldflag set so the Automation API accepts it).
# Order of preference:
#   1. .pulumi/bin already holds the pinned version and every piece -> nothing to do (a second run takes < 1 s)
#   2. a `pulumi` on PATH at least PULUMI_MIN_VERSION, with every other piece next to it -> link them
#   3. the per-user build cache (~/.cache/pulumi_phonecfg/pulumi-vX) -> copy
#   4. build the missing pieces from Go modules into the cache, then copy. Cold on 2 cores: ~10 min for the CLI
#      and the Python host (~1.5 GB module cache); the YAML host ~2 min more after them (its own pkg/sdk
#      version, so little of the CLI's build is reused; ~5 min from an empty Go build cache on a busy machine);
#      the Node.js host a few seconds (it reuses the Python host's sdk build).
#
# What is built (all six files must sit in one directory):
#   pulumi                          pkg/v3@vX (wrapper module + clipboard replace + version ldflag)
#   pulumi-resource-pulumi-python   the dynamic-provider shim script, from the sdk/v3@vX module zip
#   pulumi-language-python-exec     the program runner script, from the sdk/v3@vX module zip
#   pulumi-analyzer-policy-python   the policy-pack shim script (`python -m pulumi.policy <engine> <pack dir>`), from
#       the sdk/v3@v$PULUMI_LANGHOST_SDK module zip (later sdk zips no longer carry it). policy/run hands it our
#       pack: the built language host cannot start policy packs itself.
#   pulumi-language-python          the language host (only needed for on-disk `runtime: python` projects).
#       Its own module (sdk/python/cmd/pulumi-language-python/v3) has no tags and our Go proxy does not serve
#       it, so unless PULUMI_LANGHOST_COMMIT names a commit the proxy serves, it is built from
#       sdk/v3@v$PULUMI_LANGHOST_SDK (3.68.0: the last sdk release that still contained it). The CLI talks to
#       older language hosts through its Unimplemented fallbacks (GetRequiredPackages, Handshake). That old host
#       receives no runtime options, so it runs the program with $PULUMI_PYTHON_CMD (or python3 on PATH):
#       point PULUMI_PYTHON_CMD at the project's virtualenv python (the Makefile does).
#   pulumi-language-nodejs          the Node.js host, for `runtime: nodejs` projects: the package inside the same
#       sdk/v3@v$PULUMI_LANGHOST_SDK (its modern module, sdk/nodejs/cmd/pulumi-language-nodejs/v3, is refused by
#       our Go proxy). Like the Python one it lacks GenerateProgram, so `pulumi import` needs
#       --generate-code=false in a Node.js project.
#   pulumi-language-yaml            the YAML host, for `runtime: yaml` projects: github.com/pulumi/pulumi-yaml
#       v$PULUMI_YAML_VERSION cmd/pulumi-language-yaml, at the pkg/sdk version its own go.mod pins (v1.25.0 pins
#       v3.206.0 and does not compile against the CLI's v3.274.1); same clipboard replace and build tags as the
#       CLI. It also generates the program code of `pulumi import`.
# Concurrent runs serialize on a lock next to the cache; an interrupted build resumes from the finished pieces,
# and a cache made before a piece was added here gets only the missing pieces built.
set -euo pipefail

V="${PULUMI_VERSION:-3.274.1}"
MIN="${PULUMI_MIN_VERSION:-3.181.0}"   # Automation API inline refresh/destroy need >= 3.181
LANGHOST_SDK="${PULUMI_LANGHOST_SDK:-3.68.0}"
YAML_VERSION="${PULUMI_YAML_VERSION:-1.25.0}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="$ROOT/.pulumi/bin"
CACHE_BASE="${PHONECFG_CLI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi_phonecfg}"
CACHE="$CACHE_BASE/pulumi-v$V"
NEEDED=(pulumi pulumi-resource-pulumi-python pulumi-language-python pulumi-language-python-exec
        pulumi-language-nodejs pulumi-language-yaml pulumi-analyzer-policy-python)
LD_VERSION_FLAG="-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version"
YAML_LD_VERSION_FLAG="-X github.com/pulumi/pulumi-yaml/pkg/version.Version"
# pkg/v3's go.mod replaces atotto/clipboard; a dependency's replaces are ignored, so each build module re-adds it.
CLIPBOARD_REPLACE="github.com/atotto/clipboard=github.com/tgummerer/clipboard@v0.0.0-20241001131231-d02d263e614e"

say() { printf '[install-pulumi] %s\n' "$*" >&2; }

complete_in() {  # complete_in DIR -> every piece present and the CLI runs
  local d="$1" f
  for f in "${NEEDED[@]}"; do [ -e "$d/$f" ] || return 1; done
  "$d/pulumi" version >/dev/null 2>&1
}

version_ge() {  # version_ge A B -> A >= B (dotted, leading v ignored)
  [ "$(printf '%s\n%s\n' "${1#v}" "${2#v}" | sort -V | head -n1)" = "${2#v}" ]
}

new_module() {  # new_module DIR NAME -> an empty throwaway main module in DIR
  mkdir -p "$1" && (cd "$1" && go mod init "$2" >/dev/null 2>&1)
}

build_cli() {  # build_cli OUT -> pulumi + the two scripts from sdk/v3@vV
  local out="$1" w="$WORK/cli"
  new_module "$w" example.invalid/pulumi-cli-build
  cd "$w"
  go mod edit -replace="$CLIPBOARD_REPLACE"
  say "resolving pkg/v3@v$V and sdk/v3@v$V"
  go get "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@v$V" "github.com/pulumi/pulumi/sdk/v3@v$V"
  say "compiling pulumi (the long part)"
  go build -trimpath -tags osusergo,grpcnotrace -ldflags "-s -w $LD_VERSION_FLAG=v$V" -o "$out/pulumi.tmp" \
    github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
  mv "$out/pulumi.tmp" "$out/pulumi"
}

copy_scripts() {  # copy_scripts OUT -> the shim and the exec script from the sdk/v3@vV module zip
  local out="$1" w="$WORK/scripts" sdk
  new_module "$w" example.invalid/pulumi-sdk-files
  sdk="$(cd "$w" && go mod download -json "github.com/pulumi/pulumi/sdk/v3@v$V" \
         | python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')"
  install -m 0755 "$sdk/python/dist/pulumi-resource-pulumi-python" "$out/"
  install -m 0755 "$sdk/python/cmd/pulumi-language-python-exec" "$out/"
  sdk="$(cd "$w" && go mod download -json "github.com/pulumi/pulumi/sdk/v3@v$LANGHOST_SDK" \
         | python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')"
  install -m 0755 "$sdk/python/dist/pulumi-analyzer-policy-python" "$out/"
}

build_langhost() {  # build_langhost OUT
  local out="$1" w="$WORK/langhost"
  if [ -n "${PULUMI_LANGHOST_COMMIT:-}" ]; then
    new_module "$w" example.invalid/pulumi-langhost-build
    say "building pulumi-language-python from its own module at commit $PULUMI_LANGHOST_COMMIT"
    if (cd "$w" \
        && go mod edit -replace="$CLIPBOARD_REPLACE" \
        && go get "github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3@$PULUMI_LANGHOST_COMMIT" \
        && go get "github.com/pulumi/pulumi/pkg/v3@v$V" "github.com/pulumi/pulumi/sdk/v3@v$V" \
        && go build -trimpath -tags osusergo,grpcnotrace -ldflags "-s -w $LD_VERSION_FLAG=v$V" \
             -o "$out/pulumi-language-python" github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3); then
      return 0
    fi
    say "that failed; falling back to the language host of sdk/v3@v$LANGHOST_SDK"
    rm -rf "$w"
  fi
  new_module "$w" example.invalid/pulumi-langhost-build
  say "building pulumi-language-python from sdk/v3@v$LANGHOST_SDK"
  (cd "$w" \
    && go get "github.com/pulumi/pulumi/sdk/v3@v$LANGHOST_SDK" \
    && go build -trimpath -ldflags "-s -w $LD_VERSION_FLAG=v$LANGHOST_SDK" -o "$out/pulumi-language-python" \
         github.com/pulumi/pulumi/sdk/v3/python/cmd/pulumi-language-python)
}

build_nodejs_langhost() {  # build_nodejs_langhost OUT -> the Node.js host from sdk/v3@v$LANGHOST_SDK
  local out="$1" w="$WORK/nodejs-langhost"
  new_module "$w" example.invalid/pulumi-nodejs-langhost-build
  say "building pulumi-language-nodejs from sdk/v3@v$LANGHOST_SDK"
  (cd "$w" \
    && go get "github.com/pulumi/pulumi/sdk/v3@v$LANGHOST_SDK" \
    && go build -trimpath -ldflags "-s -w $LD_VERSION_FLAG=v$LANGHOST_SDK" -o "$out/pulumi-language-nodejs.tmp" \
         github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs)
  mv "$out/pulumi-language-nodejs.tmp" "$out/pulumi-language-nodejs"
}

build_yaml_langhost() {  # build_yaml_langhost OUT -> the YAML host at the pkg/sdk version pulumi-yaml pins
  local out="$1" w="$WORK/yaml-langhost"
  new_module "$w" example.invalid/pulumi-yaml-langhost-build
  say "building pulumi-language-yaml v$YAML_VERSION (with the pkg/sdk version its go.mod pins)"
  # Only pulumi-yaml is required here, so minimal version selection keeps its own pins (pkg/sdk v3.206.0).
  (cd "$w" \
    && go mod edit -replace="$CLIPBOARD_REPLACE" \
    && go get "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml@v$YAML_VERSION" \
    && go build -trimpath -tags osusergo,grpcnotrace -ldflags "-s -w $YAML_LD_VERSION_FLAG=v$YAML_VERSION" \
         -o "$out/pulumi-language-yaml.tmp" github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml)
  mv "$out/pulumi-language-yaml.tmp" "$out/pulumi-language-yaml"
}

timed() {  # timed NAME COMMAND... -> runs it in a subshell (the builders cd), then says how long NAME took
  local name="$1" t0=$SECONDS
  shift
  ("$@")
  say "$name built in $((SECONDS - t0)) s"
}

install_into_bin() {
  local f
  for f in "${NEEDED[@]}"; do install -m 0755 "$CACHE/$f" "$BIN/$f.tmp" && mv -f "$BIN/$f.tmp" "$BIN/$f"; done
  local got
  got="$("$BIN/pulumi" version)"
  [ "$got" = "v$V" ] || { say "the CLI reports $got, expected v$V"; exit 1; }
  say "pulumi $got ready in .pulumi/bin"
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
  say "ignoring pulumi on PATH (${have:-no version}): older than $MIN or missing one of: ${NEEDED[*]:1}"
fi

mkdir -p "$CACHE_BASE"
exec 9>"$CACHE_BASE/pulumi-v$V.lock"
if ! flock -n 9; then
  say "another install is building into $CACHE; waiting for it"
  flock 9
fi

if ! complete_in "$CACHE"; then
  command -v go >/dev/null 2>&1 || { say "no Go toolchain: cannot build the Pulumi CLI"; exit 1; }
  start=$SECONDS
  WORK="$(mktemp -d)"; trap 'rm -rf "$WORK"' EXIT
  export GOFLAGS=-mod=mod CGO_ENABLED=0
  PARTIAL="$CACHE.partial"
  mkdir -p "$PARTIAL"
  # A cache made before a piece was added to NEEDED: start from its pieces and build only what is missing.
  if [ -d "$CACHE" ]; then cp -a "$CACHE/." "$PARTIAL/"; fi
  # Resume: keep the pieces an interrupted build finished (the CLI only if it reports the right version).
  if [ -e "$PARTIAL/pulumi" ] && [ "$("$PARTIAL/pulumi" version 2>/dev/null || true)" = "v$V" ]; then
    say "reusing the pulumi v$V binary already built"
  else
    say "building pulumi v$V from the Go module proxy into $CACHE (cold: ~10 minutes, several GB of Go caches)"
    timed "pulumi CLI" build_cli "$PARTIAL"
  fi
  (copy_scripts "$PARTIAL")
  [ -e "$PARTIAL/pulumi-language-python" ] || timed "pulumi-language-python" build_langhost "$PARTIAL"
  [ -e "$PARTIAL/pulumi-language-nodejs" ] || timed "pulumi-language-nodejs" build_nodejs_langhost "$PARTIAL"
  [ -e "$PARTIAL/pulumi-language-yaml" ] || timed "pulumi-language-yaml" build_yaml_langhost "$PARTIAL"
  complete_in "$PARTIAL" || { say "the build left $PARTIAL incomplete"; exit 1; }
  rm -rf "$CACHE"; mv "$PARTIAL" "$CACHE"
  say "built in $((SECONDS - start)) s"
fi

install_into_bin
