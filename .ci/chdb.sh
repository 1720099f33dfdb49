#!/usr/bin/env bash
# Start or stop the modern engine for tests: ClickHouse 26.x embedded by chDB behind a small Node HTTP front
# (src/test/node/chdb-http, test infrastructure only). No systemd, no root.
#   .ci/chdb.sh install   install the chdb pinned by package-lock.json (linux-x64; about 180 MB download, 550 MB on disk)
#   .ci/chdb.sh start     start (idempotent), wait for /ping
#   .ci/chdb.sh stop      stop what start started
# CHDB_DIR (default $TMPDIR/appmetrica-loader-chdb) and CHDB_HTTP (18133) choose where.
set -euo pipefail
. "$(dirname "$0")/lib/service.sh"
FRONT="$(cd "$(dirname "$0")/.." && pwd)/src/test/node/chdb-http"
CHDB_DIR="${CHDB_DIR:-${TMPDIR:-/tmp}/appmetrica-loader-chdb}"
CHDB_HTTP="${CHDB_HTTP:-18133}"

# "path version" of every package a lock file names, sorted
versions() { node -e 'const l=require(process.argv[1]);for(const[k,v]of Object.entries(l.packages).filter(([k])=>k).sort())console.log(k,v.version)' "$1"; }
in_sync() { [ -f "$FRONT/node_modules/.package-lock.json" ] && cmp -s <(versions "$FRONT/package-lock.json") <(versions "$FRONT/node_modules/.package-lock.json"); }

install() {
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    # Debian 12's nodejs is 18.x, the oldest chdb 3.4.0 accepts
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null
  fi
  in_sync && return
  # Not npm ci: it refuses this lock because the registry used here does not serve chdb's optional packages for other
  # platforms (macOS, arm64), so the lock holds only linux-x64. npm install --no-save installs the lock's exact versions
  # and integrity hashes without touching the lock; in_sync checks what it installed.
  (cd "$FRONT" && npm install --no-save --no-audit --no-fund --loglevel=error)
  in_sync || { echo "chdb.sh: node_modules does not match $FRONT/package-lock.json" >&2; exit 1; }
}

ping() { curl -sf "http://127.0.0.1:$CHDB_HTTP/ping" >/dev/null 2>&1; }

start() {
  if ping; then echo "chDB front already answers on 127.0.0.1:$CHDB_HTTP"; return; fi
  mkdir -p "$CHDB_DIR"
  start_lock "$CHDB_DIR/start.lock" # two starts at once: one front, the other finds it answering
  if ping; then echo "chDB front already answers on 127.0.0.1:$CHDB_HTTP"; return; fi
  [ -d "$FRONT/node_modules/chdb" ] || install
  # TZ=UTC: like the 18.16 server's <timezone>UTC</timezone>
  start_pid "$CHDB_DIR/front.pid" "$CHDB_DIR/front.log" env TZ=UTC node "$FRONT/server.js" "$CHDB_HTTP" "$CHDB_DIR/data"
  if ! wait_serving "$CHDB_DIR/front.pid" 1200 0.1 ping; then cat "$CHDB_DIR/front.log" >&2 || true; echo "chDB front did not start" >&2; exit 1; fi
  echo "ClickHouse $(curl -s "http://127.0.0.1:$CHDB_HTTP/?query=SELECT%20version()") (chDB) on 127.0.0.1:$CHDB_HTTP"
}

stop() {
  stop_pid "$CHDB_DIR/front.pid"
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 install|start|stop" >&2; exit 2 ;;
esac
