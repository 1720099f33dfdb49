#!/usr/bin/env bash
# Start or stop a throw-away ClickHouse server on 127.0.0.1 without systemd.
#   .ci/clickhouse.sh install   apt-get install clickhouse-server/client if missing
#   .ci/clickhouse.sh start     start (idempotent), wait for /ping
#   .ci/clickhouse.sh stop      stop what start started
#   .ci/clickhouse.sh cluster start|stop   ZooKeeper + cluster c2x2 (2 shards x 2 replicas), see .ci/cluster.sh
# CH_DIR (default $TMPDIR/appmetrica-loader-clickhouse), CH_HTTP (18123) and CH_TCP (19000) choose where.
set -euo pipefail
. "$(dirname "$0")/lib/service.sh"
CH_DIR="${CH_DIR:-${TMPDIR:-/tmp}/appmetrica-loader-clickhouse}"
CH_HTTP="${CH_HTTP:-18123}"
CH_TCP="${CH_TCP:-19000}"

install() {
  if command -v clickhouse-server >/dev/null && command -v clickhouse-client >/dev/null; then return; fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq clickhouse-server clickhouse-client curl >/dev/null
}

ping() { curl -sf "http://127.0.0.1:$CH_HTTP/ping" >/dev/null 2>&1; }

start() {
  if ping; then echo "ClickHouse already answers on 127.0.0.1:$CH_HTTP"; return; fi
  mkdir -p "$CH_DIR/data" "$CH_DIR/log"
  # two starts at once: the second server fails on the taken port and removes the first one's pid file on its way out
  exec 9>"$CH_DIR/start.lock"
  flock 9
  if ping; then echo "ClickHouse already answers on 127.0.0.1:$CH_HTTP"; return; fi
  cat > "$CH_DIR/config.xml" <<XML
<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>$CH_DIR/log/server.log</log><errorlog>$CH_DIR/log/err.log</errorlog><size>100M</size><count>2</count></logger>
  <http_port>$CH_HTTP</http_port>
  <tcp_port>$CH_TCP</tcp_port>
  <listen_host>127.0.0.1</listen_host>
  <path>$CH_DIR/data/</path>
  <tmp_path>$CH_DIR/data/tmp/</tmp_path>
  <user_files_path>$CH_DIR/data/user_files/</user_files_path>
  <format_schema_path>$CH_DIR/data/format_schemas/</format_schema_path>
  <users_config>users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mark_cache_size>268435456</mark_cache_size>
  <uncompressed_cache_size>268435456</uncompressed_cache_size>
  <max_concurrent_queries>100</max_concurrent_queries>
  <max_table_size_to_drop>0</max_table_size_to_drop>
  <max_partition_size_to_drop>0</max_partition_size_to_drop>
</yandex>
XML
  clickhouse_users "$CH_DIR/users.xml"
  clickhouse-server --daemon --pid-file="$CH_DIR/server.pid" --config-file="$CH_DIR/config.xml" >/dev/null 2>&1 9>&- # the lock stays here
  # up to 2 min: a busy machine starts it slowly
  if ! wait_for 2400 0.05 ping; then cat "$CH_DIR/log/err.log" >&2 || true; echo "ClickHouse did not start" >&2; exit 1; fi
  echo "ClickHouse $(curl -s "http://127.0.0.1:$CH_HTTP/?query=SELECT%20version()") on 127.0.0.1:$CH_HTTP"
}

stop() {
  if [ ! -f "$CH_DIR/server.pid" ]; then
    # a server this script did not start (or whose pid file a second start, failing on the taken port, removed):
    # saying "stopped" would let a test that needs it gone go on against it
    if ping; then echo "clickhouse.sh: a server answers on 127.0.0.1:$CH_HTTP but $CH_DIR/server.pid is missing; not stopping it" >&2; exit 1; fi
    return 0
  fi
  # CH_HTTP without its CH_DIR (e.g. a test told of another port) must not stop the server someone else started
  configured=$(sed -n 's:.*<http_port>\([0-9]*\)</http_port>.*:\1:p' "$CH_DIR/config.xml" 2>/dev/null || true)
  if [ -n "$configured" ] && [ "$configured" != "$CH_HTTP" ]; then
    echo "clickhouse.sh: the server in $CH_DIR serves port $configured, not CH_HTTP=$CH_HTTP; not stopping it (set CH_DIR too)" >&2
    exit 1
  fi
  stop_pid "$CH_DIR/server.pid"
}

case "${1:-}" in
  install) install ;;
  cluster) shift; exec bash "$(dirname "$0")/cluster.sh" "$@" ;;
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 install|start|stop|cluster start|stop" >&2; exit 2 ;;
esac
