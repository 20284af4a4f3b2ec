#!/usr/bin/env bash
# Headless Chromium for the documentation site's smoke test (tests/docs/test_site.py).
#
#   scripts/chromium.sh install   # Debian's `chromium` with apt-get when missing (root only); prints its path
#   scripts/chromium.sh path      # prints its path, or nothing (exit 1) when it is not installed
#
# PHONECFG_CHROMIUM names another executable (chromium, chromium-browser, google-chrome: any that takes
# --headless --dump-dom --screenshot). Browser builds cannot be downloaded on our machines: the Debian package is it.
set -euo pipefail

say() { printf '[chromium] %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

find_chromium() {
  if [ -n "${PHONECFG_CHROMIUM:-}" ]; then
    command -v "$PHONECFG_CHROMIUM" || true
    return
  fi
  command -v chromium || command -v chromium-browser || true
}

install() {
  local found
  found="$(find_chromium)"
  if [ -n "$found" ]; then
    echo "$found"
    return
  fi
  [ "$(id -u)" = 0 ] || die "chromium is missing; install it (apt-get install chromium)"
  command -v apt-get >/dev/null || die "chromium is missing and there is no apt-get"
  say "installing chromium (apt-get install chromium)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends chromium >&2
  found="$(find_chromium)"
  [ -n "$found" ] || die "apt-get installed chromium but it is still not found"
  echo "$found"
}

case "${1:-}" in
  install) install ;;
  path)
    found="$(find_chromium)"
    [ -n "$found" ] || exit 1
    echo "$found"
    ;;
  *) die "usage: $0 install|path" ;;
esac
