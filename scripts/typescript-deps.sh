#!/usr/bin/env bash
# Installs (once) the npm dependencies of examples/typescript — @pulumi/pulumi, typescript, ts-node and the
# generated SDK sdk/nodejs (installed from this repository, compiled by its postinstall) — into the per-user cache,
# and prints the node_modules directory on stdout. The TypeScript tests link their copy of the example to it.
#
# The cache is keyed by what the install depends on: the example's package.json, package-lock.json and .npmrc,
# every file of sdk/nodejs, and the node version. A change to any of them (e.g. `make sdk` after a schema change)
# gives a fresh `npm ci`; otherwise a run takes well under a second. npm's own download cache (~/.npm) makes a
# fresh install cheaper still. Concurrent runs serialize on a lock; an interrupted install leaves no cache entry.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
EXAMPLE="$ROOT/examples/typescript"
CACHE_BASE="${PHONECFG_CLI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi_phonecfg}"

say() { printf '[typescript-deps] %s\n' "$*" >&2; }

for tool in node npm; do
  command -v "$tool" >/dev/null 2>&1 || { say "no $tool on PATH"; exit 1; }
done

KEY="$(
  cd "$ROOT"
  {
    node --version
    sha256sum examples/typescript/package.json examples/typescript/package-lock.json examples/typescript/.npmrc
    find sdk/nodejs -type f -not -path '*/node_modules/*' -not -path 'sdk/nodejs/bin/*' -print0 \
      | sort -z | xargs -0 sha256sum
  } | sha256sum | cut -c1-16
)"
CACHE="$CACHE_BASE/typescript-deps-$KEY"
# The install happens in the repository's layout (examples/typescript next to ../../sdk/nodejs), as a user's.
MODULES="$CACHE/examples/typescript/node_modules"

if [ -d "$MODULES" ]; then echo "$MODULES"; exit 0; fi

mkdir -p "$CACHE_BASE"
exec 9>"$CACHE.lock"
flock 9
if [ ! -d "$MODULES" ]; then
  PARTIAL="$CACHE.partial"
  rm -rf "$PARTIAL"
  mkdir -p "$PARTIAL/examples/typescript" "$PARTIAL/sdk"
  cp "$EXAMPLE/package.json" "$EXAMPLE/package-lock.json" "$EXAMPLE/.npmrc" "$PARTIAL/examples/typescript/"
  (cd "$ROOT/sdk" && tar --exclude=node_modules --exclude=./nodejs/bin -cf - nodejs) | tar -xf - -C "$PARTIAL/sdk"
  say "npm ci of examples/typescript into $CACHE"
  t0=$SECONDS
  (cd "$PARTIAL/examples/typescript" && npm ci --no-audit --no-fund --loglevel=error >&2)
  rm -rf "$CACHE" && mv "$PARTIAL" "$CACHE"
  say "installed in $((SECONDS - t0)) s"
fi
echo "$MODULES"
