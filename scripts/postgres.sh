#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests of the PostgreSQL state backend (`pulumi login postgres://...`).
#
#   scripts/postgres.sh install      # PostgreSQL's server binaries, with apt-get when missing (Debian: postgresql)
#   scripts/postgres.sh start DIR    # a server with its data and socket in DIR (made here; must not exist, or be
#                                    # empty), on 127.0.0.1 and a free port; prints the backend URL
#                                    # postgres://<user>@127.0.0.1:<port>/phonecfg?sslmode=disable
#   scripts/postgres.sh stop DIR     # stops that server and removes DIR
#   scripts/postgres.sh dump DIR     # pg_dump of its database to stdout (what a scan for plaintext reads)
#
# The server refuses to run as root: as root, it runs as the `postgres` user (which the Debian package creates),
# else `nobody`, through runuser (no login shell needed); as anyone else, as that user. It trusts connections
# from this machine without a password (listens on 127.0.0.1 only, and lives as long as the tests): the URL holds
# no secret. PHONECFG_PG_BIN overrides where the binaries are (a directory holding initdb, pg_ctl, ...).
set -euo pipefail

DATABASE=phonecfg
say() { printf '[postgres] %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

# The directory of initdb, pg_ctl, psql, pg_dump: $PHONECFG_PG_BIN, the newest /usr/lib/postgresql/<ver>/bin
# (Debian's layout), or wherever pg_ctl is on PATH. Prints nothing when none is found.
find_bin() {
  local dir
  if [ -n "${PHONECFG_PG_BIN:-}" ]; then
    echo "$PHONECFG_PG_BIN"
    return
  fi
  dir="$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1)"
  if [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
    echo "$dir"
  elif command -v pg_ctl >/dev/null && command -v initdb >/dev/null; then
    dirname "$(readlink -f "$(command -v pg_ctl)")"
  fi
}

install() {
  local bin
  bin="$(find_bin)"
  if [ -n "$bin" ]; then
    echo "$bin"
    return
  fi
  [ "$(id -u)" = 0 ] || die "PostgreSQL's initdb and pg_ctl are missing; install them (apt-get install postgresql)"
  command -v apt-get >/dev/null || die "PostgreSQL's initdb and pg_ctl are missing and there is no apt-get"
  say "installing PostgreSQL (apt-get install postgresql)"
  # The tests start servers of their own: the package's default cluster (and its service on 5432) is not wanted.
  if [ ! -e /etc/postgresql-common/createcluster.conf ]; then
    mkdir -p /etc/postgresql-common
    echo "create_main_cluster = false" >/etc/postgresql-common/createcluster.conf
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends -o Dpkg::Options::=--force-confold postgresql >&2
  bin="$(find_bin)"
  [ -n "$bin" ] || die "apt-get installed postgresql but initdb and pg_ctl are still not found"
  echo "$bin"
}

# The user the server runs as, and how to run a command as that user.
server_user() {
  if [ "$(id -u)" != 0 ]; then
    id -un
  elif id postgres >/dev/null 2>&1; then
    echo postgres
  else
    echo nobody
  fi
}
as_user() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u "$USER_NAME" -- "$@"
  else
    "$@"
  fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start() {
  local dir="$1" bin port attempt
  bin="$(install)"
  USER_NAME="$(server_user)"
  mkdir -p "$dir"
  [ -z "$(ls -A "$dir")" ] || die "$dir is not empty"
  as_user test -x "$(dirname "$dir")" || die "$USER_NAME cannot reach $(dirname "$dir"): choose a DIR it can reach"
  mkdir "$dir/socket"
  chown -R "$USER_NAME" "$dir"
  chmod 700 "$dir"
  as_user "$bin/initdb" --pgdata "$dir/data" --username "$USER_NAME" --auth trust --encoding UTF8 --no-locale \
    >"$dir/initdb.log" 2>&1 || die "initdb failed: $(tail -n 5 "$dir/initdb.log")"
  # A free port can be taken between the probe and the server's bind: try another a few times.
  for attempt in 1 2 3; do
    port="$(free_port)"
    if as_user "$bin/pg_ctl" start --pgdata "$dir/data" --wait --timeout 60 --log "$dir/server.log" \
      -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir/socket -c fsync=off" \
      >/dev/null; then
      echo "$port" >"$dir/port"
      as_user "$bin/createdb" --host "$dir/socket" --port "$port" --username "$USER_NAME" "$DATABASE"
      echo "$USER_NAME" >"$dir/user"
      echo "postgres://$USER_NAME@127.0.0.1:$port/$DATABASE?sslmode=disable"
      return
    fi
    say "start attempt $attempt on port $port failed: $(tail -n 3 "$dir/server.log" 2>/dev/null)"
  done
  die "the server did not start; its log: $dir/server.log"
}

stop() {
  local dir="$1" bin
  [ -d "$dir/data" ] || { rm -rf "$dir"; return; }
  bin="$(find_bin)"
  USER_NAME="$(server_user)"
  as_user "$bin/pg_ctl" stop --pgdata "$dir/data" --mode immediate --wait >/dev/null 2>&1 || true
  rm -rf "$dir"
}

dump() {
  local dir="$1" bin
  bin="$(find_bin)"
  USER_NAME="$(server_user)"
  as_user "$bin/pg_dump" --host "$dir/socket" --port "$(cat "$dir/port")" --username "$(cat "$dir/user")" \
    --data-only "$DATABASE"
}

case "${1:-}" in
  install) install >/dev/null ;;
  start | stop | dump)
    [ $# = 2 ] || die "usage: $0 $1 DIR"
    "$1" "$(readlink -m "$2")"
    ;;
  *) die "usage: $0 install | start DIR | stop DIR | dump DIR" ;;
esac
