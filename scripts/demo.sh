#!/usr/bin/env bash
# Local demo of the root Pulumi project against the phone-config API emulator. Run it through make, which
# provides the offline Pulumi environment (file backend in .pulumi/state, passphrase, PULUMI_HOME, PATH):
#
#   make demo        scripts/demo.sh up     start the emulator (if needed), `pulumi up`, outputs, no-change preview
#   make demo-stop   scripts/demo.sh stop   stop the emulator (state and emulator database are kept)
#   make demo-clean  scripts/demo.sh clean  destroy the stack, remove it, stop the emulator, wipe .demo/
#                    scripts/demo.sh emulator  only start (or reuse) the emulator; prints its URL
#
# Everything lives in .demo/ (gitignored; PHONECFG_DEMO_DIR): emulator.json (pid, URL), emulator.log, emulator.db,
# token (a generated fake). PHONECFG_DEMO_PORT (default 8787) and PHONECFG_DEMO_STACK (default demo) choose the
# emulator's port and the stack. An emulator of this directory that is already serving is reused (or restarted),
# with or without emulator.json; a port held by anything else is reported and left alone.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
: "${PULUMI_BACKEND_URL:?run this through make (make demo / make demo-stop / make demo-clean)}"

STACK="${PHONECFG_DEMO_STACK:-demo}"
PORT="${PHONECFG_DEMO_PORT:-8787}"
DEMO="${PHONECFG_DEMO_DIR:-$ROOT/.demo}"
PY="$ROOT/.venv/bin/python"

say() { printf '\n[demo] %s\n' "$*"; }

# Finding, reusing, starting and stopping "our" emulator (the one serving $DEMO/emulator.db, as it says itself
# on /_emulator/identity): scripts/demo_emulator.py. EMULATOR_URL is set by start_emulator.
EMULATOR_URL=""
start_emulator() { EMULATOR_URL="$("$PY" "$ROOT/scripts/demo_emulator.py" start --detach --dir "$DEMO" --port "$PORT")"; }
stop_emulator() { "$PY" "$ROOT/scripts/demo_emulator.py" stop --dir "$DEMO" --port "$PORT"; }

set_config() {  # set_config KEY VALUE [--secret]; only writes when the value changed (keeps the file stable)
  local key="$1" value="$2"; shift 2
  if [ "$(pulumi config get --stack "$STACK" "$key" 2>/dev/null || true)" != "$value" ]; then
    printf '%s' "$value" | pulumi config set --stack "$STACK" "$@" "$key"
  fi
}

select_stack() {
  mkdir -p "${PULUMI_BACKEND_URL#file://}" "$PULUMI_HOME"
  pulumi stack select --create --secrets-provider passphrase "$STACK" >/dev/null
}

stack_exists() { pulumi stack ls --json 2>/dev/null | grep -q "\"name\": \"$STACK\""; }

cmd_up() {
  start_emulator
  say "stack '$STACK' in $PULUMI_BACKEND_URL"
  select_stack
  set_config phonecfg:url "$EMULATOR_URL"
  set_config phonecfg:token "$(cat "$DEMO/token")" --secret
  # Obviously fake demo credentials; they only ever reach the local emulator.
  set_config sipUsername "demo-sip-user"
  set_config sipPassword "fake-demo-sip-password-0000" --secret
  set_config genesysApiKey "fake-demo-genesys-api-key-0000" --secret
  set_config genesysClientSecret "$(printf '%s' 'fake-demo-genesys-client-secret-0000' | base64 -w0)" --secret

  say "pulumi up --refresh --yes"
  pulumi up --stack "$STACK" --refresh --yes --skip-preview
  say "stack outputs"
  pulumi stack output --stack "$STACK"
  say "pulumi preview --expect-no-changes (must report no changes)"
  pulumi preview --stack "$STACK" --expect-no-changes
  say "done. The emulator keeps running at $EMULATOR_URL (token in $DEMO/token)."
  cat <<EOF
       make demo-stop    stop the emulator (keeps the stack and the emulator database)
       make demo-clean   destroy the stack, remove it and wipe .demo/
       eval "\$(make -s env)" && pulumi stack --stack $STACK   use the CLI by hand
EOF
}

cmd_clean() {
  if stack_exists; then
    start_emulator
    select_stack
    set_config phonecfg:url "$EMULATOR_URL"
    set_config phonecfg:token "$(cat "$DEMO/token")" --secret
    say "pulumi destroy --yes"
    pulumi destroy --stack "$STACK" --yes --skip-preview
    pulumi stack rm --stack "$STACK" --yes
  else
    say "no stack '$STACK'"
  fi
  stop_emulator
  rm -rf "$DEMO"
  say "removed $DEMO"
}

case "${1:-up}" in
  up) cmd_up ;;
  stop) stop_emulator ;;
  clean) cmd_clean ;;
  emulator) start_emulator; echo "$EMULATOR_URL" ;;
  *) echo "usage: $0 up|stop|clean|emulator" >&2; exit 2 ;;
esac
