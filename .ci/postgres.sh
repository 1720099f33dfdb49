#!/usr/bin/env bash
# Start or stop a throw-away PostgreSQL 15 (Debian's package) on 127.0.0.1 without systemd, for the job repository tests.
#   .ci/postgres.sh install   apt-get install postgresql if missing
#   .ci/postgres.sh start     initdb on first use, start (idempotent), create the test user and database
#   .ci/postgres.sh stop      stop what start started
#   .ci/postgres.sh url       print the JDBC URL the tests take (-Drepository.url=…)
# PG_DIR (default $TMPDIR/appmetrica-loader-postgres), PG_PORT (15432), PG_USER/PG_PASSWORD/PG_DB (appmetrica) choose.
set -euo pipefail
PG_DIR="${PG_DIR:-${TMPDIR:-/tmp}/appmetrica-loader-postgres}"
PG_PORT="${PG_PORT:-15432}"
PG_USER="${PG_USER:-appmetrica}"
PG_PASSWORD="${PG_PASSWORD:-appmetrica}"
PG_DB="${PG_DB:-appmetrica}"

bindir() {
  for d in /usr/lib/postgresql/*/bin; do [ -x "$d/pg_ctl" ] && { echo "$d"; return; }; done
  echo "postgres.sh: no /usr/lib/postgresql/*/bin/pg_ctl: run '$0 install'" >&2; exit 1
}

install() {
  if ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then return; fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
}

# run a command as the server's owner: postgres refuses to run as root
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

ready() { as_owner "$(bindir)/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; }

psql_owner() { as_owner "$(bindir)/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres "$@"; }

start() {
  local bin; bin=$(bindir)
  if ready; then echo "PostgreSQL already answers on 127.0.0.1:$PG_PORT"; else
    mkdir -p "$PG_DIR"
    [ "$(id -u)" = 0 ] && chown postgres: "$PG_DIR"
    if [ ! -f "$PG_DIR/data/PG_VERSION" ]; then
      as_owner "$bin/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log"
      { echo "listen_addresses = '127.0.0.1'"; echo "port = $PG_PORT"; echo "unix_socket_directories = '$PG_DIR'"
        echo "max_connections = 200"; echo "fsync = off"; echo "full_page_writes = off"; } >>"$PG_DIR/data/postgresql.conf"
      # the test user signs in with its password; the owner by trust, only from this machine
      { echo "host all postgres 127.0.0.1/32 trust"; echo "host all all 127.0.0.1/32 scram-sha-256"; } >"$PG_DIR/data/pg_hba.conf"
    fi
    # -w waits for the server to accept connections (up to -t seconds): a busy machine starts it slowly
    as_owner "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 120 start >/dev/null
  fi
  if [ "$(psql_owner -tA -c "SELECT 1 FROM pg_roles WHERE rolname = '$PG_USER'")" != 1 ]; then
    # CREATEDB: the tests give each data directory a database of its own
    psql_owner -c "CREATE ROLE \"$PG_USER\" LOGIN CREATEDB PASSWORD '$PG_PASSWORD'"
  fi
  if [ "$(psql_owner -tA -c "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'")" != 1 ]; then
    psql_owner -c "CREATE DATABASE \"$PG_DB\" OWNER \"$PG_USER\""
  fi
  echo "PostgreSQL $(psql_owner -tA -c 'SHOW server_version') on 127.0.0.1:$PG_PORT, database $PG_DB, user $PG_USER"
}

stop() {
  [ -f "$PG_DIR/data/postmaster.pid" ] || return 0
  as_owner "$(bindir)/pg_ctl" -D "$PG_DIR/data" -m fast -w -t 120 stop >/dev/null
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  url) echo "jdbc:postgresql://127.0.0.1:$PG_PORT/$PG_DB" ;;
  *) echo "usage: $0 install|start|stop|url" >&2; exit 2 ;;
esac
