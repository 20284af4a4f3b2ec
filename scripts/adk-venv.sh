#!/usr/bin/env bash
# Builds (once) a virtualenv holding IBM's ADK, `ibm-watsonx-orchestrate` from PyPI, for the conformance tests
# (tests/emulator/conformance/). The ADK pins many packages of its own, so it lives in its own venv in the per-user cache,
# never in the project's .venv; the tests run it as a subprocess.
#
#   scripts/adk-venv.sh          -> prints the venv's python on stdout (building it first if needed)
#
# Environment: ADK_VERSION (default 2.19.1), PHONECFG_ADK_VENV (venv directory; default
# ~/.cache/pulumi_phonecfg/adk-venv-<version>), PYTHON (interpreter for the venv; default python3.11).
# A finished venv carries a stamp file, so a second run takes well under a second. Concurrent runs serialize on a
# lock; a failed install leaves no stamp and the next run starts over.
set -euo pipefail

ADK_VERSION="${ADK_VERSION:-2.19.1}"
CACHE_BASE="${XDG_CACHE_HOME:-$HOME/.cache}/pulumi_phonecfg"
VENV="${PHONECFG_ADK_VENV:-$CACHE_BASE/adk-venv-$ADK_VERSION}"
PYTHON="${PYTHON:-python3.11}"
STAMP="$VENV/.adk-$ADK_VERSION-installed"

say() { printf '[adk-venv] %s\n' "$*" >&2; }

if [ -e "$STAMP" ]; then
  echo "$VENV/bin/python"
  exit 0
fi

mkdir -p "$(dirname "$VENV")"
exec 9>"$VENV.lock"
flock 9
if [ -e "$STAMP" ]; then  # built by a concurrent run while we waited
  echo "$VENV/bin/python"
  exit 0
fi

say "building $VENV (ibm-watsonx-orchestrate==$ADK_VERSION; a few minutes the first time)"
rm -rf "$VENV"
"$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "ibm-watsonx-orchestrate==$ADK_VERSION" >&2
"$VENV/bin/python" - <<'PY' >&2
from ibm_watsonx_orchestrate.client.phone.phone_client import PhoneClient  # the class the tests drive
print("PhoneClient from", PhoneClient.__module__)
PY
touch "$STAMP"
say "ready"
echo "$VENV/bin/python"
