#!/usr/bin/env bash
# The promotion walkthrough of examples/promotion (Python, dynamic provider) or examples/yaml-promotion (Pulumi
# YAML, native plugin) against three local tenants. Run it through make, which provides the offline Pulumi
# environment (CLI and the venv's pulumi-resource-phonecfg on PATH, PULUMI_HOME, passphrase, PULUMI_PYTHON_CMD):
#
#   make promotion-demo          # scripts/promotion-demo.sh python
#   make promotion-demo-yaml     # scripts/promotion-demo.sh yaml
#
# Starts three emulators on free ports, each its own tenant (--instance-id dev/staging/prod, so the same agent
# names have different UUIDs), then for dev, staging and prod in turn: `pulumi up`, then `pulumi preview
# --expect-no-changes` as the gate before the next stack, each with the policy pack (policy/run) at the stack's
# levels (policy-<stack>.json: advisory on dev, mandatory on staging and prod). Before prod's up, a copy of the
# program with secure trunking turned off shows the pack stopping prod's preview before any phone request. Before prod, a "Support SIP trunk" is made by hand
# (as in the console) so prod's `up` adopts it. Finally ./consumer reads prod's integration outputs through a
# StackReference. Then a change to the program (a description) goes dev -> staging -> prod the same way.
# Request counts per stage, from the emulators' request logs, go to stdout and counts.json.
#
# Everything lives in .promotion-demo/ (.promotion-demo-yaml/; or $PHONECFG_PROMOTION_DIR), recreated on every
# run: the project copy, a file backend (or the state in $PHONECFG_PROMOTION_BACKEND_URL, e.g. postgres://...;
# tests/e2e/test_postgres_backend.py), the emulators' state directories (emulators/<stack>: database, log,
# token). The emulators are stopped when the script exits, and those of an earlier run that was killed are stopped
# before the next starts.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
: "${PULUMI_HOME:?run this through make (make promotion-demo)}"
: "${PULUMI_CONFIG_PASSPHRASE:?run this through make (make promotion-demo)}"
PY="${PULUMI_PYTHON_CMD:-$ROOT/.venv/bin/python}"
LANGUAGE="${1:-python}"
case "$LANGUAGE" in
  python) EXAMPLE=promotion; PROGRAM=__main__.py; WORK="${PHONECFG_PROMOTION_DIR:-$ROOT/.promotion-demo}" ;;
  yaml) EXAMPLE=yaml-promotion; PROGRAM=Pulumi.yaml; WORK="${PHONECFG_PROMOTION_DIR:-$ROOT/.promotion-demo-yaml}" ;;
  *) echo "usage: $0 [python|yaml]" >&2; exit 2 ;;
esac
STACKS=(dev staging prod)
MARKER=".phonecfg-promotion-demo"

say() { printf '\n[promotion] %s\n' "$*"; }

if [ -e "$WORK" ] && [ ! -e "$WORK/$MARKER" ]; then
  echo "[promotion] $WORK exists and was not made by this script; refusing to wipe it" >&2
  exit 1
fi

# Each tenant's emulator has a state directory $WORK/emulators/<stack> (database, log, token, pid and URL);
# scripts/demo_emulator.py starts it on a free port and stops it by what it reports on /_emulator/identity.
emulator() { "$PY" "$ROOT/scripts/demo_emulator.py" "$1" --dir "$WORK/emulators/$2" --label promotion "${@:3}"; }
stop_emulators() {
  local stack
  for stack in "${STACKS[@]}"; do
    if [ -d "$WORK/emulators/$stack" ]; then emulator stop "$stack" || true; fi
  done
}
# An earlier run that was killed before its clean-up may have left its emulators serving: stop them before
# their directories go.
stop_emulators
rm -rf "$WORK"
mkdir -p "$WORK/state"
touch "$WORK/$MARKER"
# The state: a file backend of its own, or $PHONECFG_PROMOTION_BACKEND_URL (a team backend such as
# postgres://..., which must not hold these stacks yet).
export PULUMI_BACKEND_URL="${PHONECFG_PROMOTION_BACKEND_URL:-file://$WORK/state}"
# Provider settings come from each stack's config only, never from the caller's shell.
unset PHONECFG_URL PHONECFG_TOKEN PHONECFG_API_KEY PHONECFG_AUTH_TYPE PHONECFG_AUTH_URL PHONECFG_ADOPT_EXISTING

declare -A URLS TOKENS
trap stop_emulators EXIT

start_emulator() {  # start_emulator STACK: a tenant of its own on a free port
  local stack="$1"
  URLS[$stack]="$(emulator start "$stack" --port 0 --instance-id "$stack")"
  TOKENS[$stack]="$(cat "$WORK/emulators/$stack/token")"
  say "tenant $stack: ${URLS[$stack]}/instances/$stack"
}

# The current stack's emulator token travels in the environment, never on a command line (where `ps` shows it).
requests() { PHONECFG_EMULATOR_TOKEN="${TOKENS[$STACK]}" "$PY" "$ROOT/scripts/promotion-demo-requests.py" "$@"; }

secret() { printf '%s' "$2" | pulumi config set --stack "$STACK" --secret "$1"; }

for STACK in "${STACKS[@]}"; do start_emulator "$STACK"; done

cp -r "$ROOT/examples/$EXAMPLE" "$WORK/project"
if [ "$LANGUAGE" = python ]; then
  ln -s "$(dirname "$(dirname "$PY")")" "$WORK/project/venv"
  ln -s "$(dirname "$(dirname "$PY")")" "$WORK/project/consumer/venv"
fi
PROJECT="$(sed -n 's/^name: *//p' "$WORK/project/Pulumi.yaml")"
cd "$WORK/project"

for STACK in "${STACKS[@]}"; do
  url="${URLS[$STACK]}"
  say "=== $STACK ==="
  pulumi stack init --secrets-provider passphrase "$STACK" >/dev/null
  pulumi config set --stack "$STACK" phonecfg:url "$url/instances/$STACK"
  secret phonecfg:token "${TOKENS[$STACK]}"
  # Obviously fake credentials; they only ever reach the local emulators.
  secret sipPassword "fake-promotion-sip-password-$STACK"
  secret genesysApiKey "fake-promotion-genesys-api-key-$STACK"
  secret genesysClientSecret "$(printf '%s' "fake-promotion-client-secret-$STACK" | base64 -w0)"

  if [ "$STACK" = prod ]; then
    say "prod already has a 'Support SIP trunk', made by hand in the console: the up adopts it"
    PHONECFG_EMULATOR_TOKEN="${TOKENS[$STACK]}" "$PY" - "$url/instances/$STACK" <<'PYTHON'
import os, sys, httpx
url, token = sys.argv[1], os.environ["PHONECFG_EMULATOR_TOKEN"]
body = {"name": "Support SIP trunk", "description": "made by hand", "security": {"secure_trunking": False}}
made = httpx.post(f"{url}/v1/channels/phone", json=body, headers={"Authorization": f"Bearer {token}"})
made.raise_for_status()
print(f"[promotion] hand-made config {made.json()['id']}")
PYTHON
  fi

  gate=(--policy-pack "$ROOT/policy/run" --policy-pack-config "policy-$STACK.json")
  if [ "$STACK" = prod ]; then
    say "the policy gate: prod's program with secure trunking turned off, previewed with the pack (mandatory)"
    cp "$PROGRAM" "$WORK/program.reviewed"
    sed -i 's/"secure_trunking": True/"secure_trunking": False/; s/secureTrunking: true/secureTrunking: false/' "$PROGRAM"
    ! cmp -s "$PROGRAM" "$WORK/program.reviewed" || { say "could not edit the program"; exit 1; }
    requests clear "$url"
    if pulumi preview --stack "$STACK" "${gate[@]}"; then say "the policy pack let insecure trunking through"; exit 1; fi
    requests count "$url" "$STACK" "policy gate" "$WORK/counts.json"
    say "stopped by phonecfg-sip-secure-trunking before any phone request; the fix: secure trunking back on"
    cp "$WORK/program.reviewed" "$PROGRAM"
  fi

  requests clear "$url"
  say "pulumi up ($STACK)"
  pulumi up --stack "$STACK" --yes --skip-preview "${gate[@]}"
  requests count "$url" "$STACK" up "$WORK/counts.json"

  requests clear "$url"
  say "pulumi preview --expect-no-changes ($STACK), with the policy pack: the gate before the next stack"
  pulumi preview --stack "$STACK" --expect-no-changes "${gate[@]}"
  requests count "$url" "$STACK" preview "$WORK/counts.json"
  pulumi stack output --stack "$STACK"
done

say "=== a change, promoted the same way: the trunk's description, edited in the program ==="
sed -i 's/Inbound support line from the carrier\b/&, 24\/7/' "$WORK/project/$PROGRAM"
grep -q 'carrier, 24/7' "$WORK/project/$PROGRAM" || { say "could not edit the program"; exit 1; }
for STACK in "${STACKS[@]}"; do
  url="${URLS[$STACK]}"
  requests clear "$url"
  gate=(--policy-pack "$ROOT/policy/run" --policy-pack-config "policy-$STACK.json")
  say "pulumi up ($STACK, change)"
  pulumi up --stack "$STACK" --yes --skip-preview "${gate[@]}"
  requests count "$url" "$STACK" "change up" "$WORK/counts.json"
  requests clear "$url"
  pulumi preview --stack "$STACK" --expect-no-changes "${gate[@]}"
  requests count "$url" "$STACK" "change preview" "$WORK/counts.json"
done

say "=== the other side: ./consumer reads prod's outputs through a StackReference ==="
cd "$WORK/project/consumer"
STACK=prod
pulumi stack init --secrets-provider passphrase "$STACK" >/dev/null
pulumi config set --stack "$STACK" phoneStack "organization/$PROJECT/prod"
pulumi up --stack "$STACK" --yes --skip-preview
pulumi stack output --stack "$STACK" --json >"$WORK/consumer-outputs.json"
cat "$WORK/consumer-outputs.json"

say "request counts per stage (also in $WORK/counts.json):"
"$PY" - "$WORK/counts.json" <<'PYTHON'
import json, sys
for row in json.load(open(sys.argv[1])):
    shown = ", ".join(f"{k} {n}" for k, n in row["requests"].items()) or "none"
    print(f"  {row['stack']:8} {row['operation']:15} {shown}")
PYTHON
say "done: dev, staging and prod each passed pulumi preview --expect-no-changes"
