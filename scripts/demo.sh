#!/usr/bin/env bash
# Local demo of the root Pulumi project against the phone-config API emulator. Run it through make, which
# provides the offline Pulumi environment (file backend in .pulumi/state, passphrase, PULUMI_HOME, PATH):
#
#   make demo        scripts/demo.sh up     start the emulator (if needed), `pulumi up`, outputs, no-change preview
#   make demo-stop   scripts/demo.sh stop   stop the emulator (state and emulator database are kept)
#   make demo-clean  scripts/demo.sh clean  destroy the stack, remove it, stop the emulator, wipe .demo/
#
# Everything lives in .demo/ (gitignored): emulator.pid, emulator.log, emulator.db, token (a generated fake).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
: "${PULUMI_BACKEND_URL:?run this through make (make demo / make demo-stop / make demo-clean)}"

STACK="${PHONECFG_DEMO_STACK:-demo}"
PORT="${PHONECFG_DEMO_PORT:-8787}"
DEMO="$ROOT/.demo"
PIDFILE="$DEMO/emulator.pid"
LOG="$DEMO/emulator.log"
PHONECFG="$ROOT/.venv/bin/phonecfg"

say() { printf '\n[demo] %s\n' "$*"; }

emulator_pid() {  # prints the pid of our running emulator, or fails
  local pid
  [ -s "$PIDFILE" ] || return 1
  pid="$(cat "$PIDFILE")"
  kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'emulator' || return 1
  echo "$pid"
}

emulator_url() { grep -o 'PHONECFG_EMULATOR_URL=[^[:space:]]*' "$LOG" 2>/dev/null | tail -n1 | cut -d= -f2-; }

start_emulator() {
  mkdir -p "$DEMO"
  if [ ! -s "$DEMO/token" ]; then
    (umask 077; "$ROOT/.venv/bin/python" -c 'import secrets; print("fake-demo-token-" + secrets.token_hex(16))' \
      >"$DEMO/token")
  fi
  if pid="$(emulator_pid)" && [ -n "$(emulator_url)" ]; then
    say "emulator already running (pid $pid) at $(emulator_url)"
    return
  fi
  say "starting the emulator on 127.0.0.1:$PORT (log: .demo/emulator.log)"
  : >"$LOG"
  PHONECFG_EMULATOR_TOKEN="$(cat "$DEMO/token")" setsid nohup "$PHONECFG" emulator \
    --host 127.0.0.1 --port "$PORT" --db "$DEMO/emulator.db" >"$LOG" 2>&1 </dev/null &
  echo $! >"$PIDFILE"
  local waited=0
  until [ -n "$(emulator_url)" ]; do
    if ! emulator_pid >/dev/null; then
      say "the emulator exited; its log:"; cat "$LOG" >&2; rm -f "$PIDFILE"; exit 1
    fi
    if [ "$waited" -ge 300 ]; then
      say "the emulator did not report its URL within 30 s; its log:"; cat "$LOG" >&2; exit 1
    fi
    sleep 0.1; waited=$((waited + 1))
  done
  say "emulator listening at $(emulator_url) (pid $(cat "$PIDFILE"))"
}

stop_emulator() {
  local pid
  if pid="$(emulator_pid)"; then
    kill "$pid"
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid"; fi
    say "emulator (pid $pid) stopped"
  else
    say "emulator not running"
  fi
  rm -f "$PIDFILE"
}

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
  set_config phonecfg:url "$(emulator_url)"
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
  say "done. The emulator keeps running at $(emulator_url) (token in .demo/token)."
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
    set_config phonecfg:url "$(emulator_url)"
    set_config phonecfg:token "$(cat "$DEMO/token")" --secret
    say "pulumi destroy --yes"
    pulumi destroy --stack "$STACK" --yes --skip-preview
    pulumi stack rm --stack "$STACK" --yes
  else
    say "no stack '$STACK'"
  fi
  stop_emulator
  rm -rf "$DEMO"
  say "removed .demo/"
}

case "${1:-up}" in
  up) cmd_up ;;
  stop) stop_emulator ;;
  clean) cmd_clean ;;
  *) echo "usage: $0 up|stop|clean" >&2; exit 2 ;;
esac
