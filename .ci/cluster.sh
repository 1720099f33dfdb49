#!/usr/bin/env bash
# A throw-away ClickHouse 18.16 cluster on 127.0.0.1 without systemd: Debian's ZooKeeper 3.8 and four servers forming
# cluster c2x2 (2 shards x 2 replicas, internal_replication). Run through `.ci/clickhouse.sh cluster start|stop`.
#   node 1: shard 1 replica r1, HTTP 24121      node 2: shard 1 replica r2, HTTP 24122
#   node 3: shard 2 replica r1, HTTP 24123      node 4: shard 2 replica r2, HTTP 24124
# TCP 2490N, interserver 2500N, ZooKeeper 22181. Every port stays below 32768: 32768-60999 is the ephemeral range
# here, where a node once failed with "Address already in use".
# CLUSTER_DIR (default $TMPDIR/appmetrica-loader-cluster) holds data, logs and pids.
set -euo pipefail
. "$(dirname "$0")/lib/service.sh"
CLUSTER_DIR="${CLUSTER_DIR:-${TMPDIR:-/tmp}/appmetrica-loader-cluster}"
ZK_PORT=22181
NODES="1 2 3 4"

install() {
  command -v clickhouse-server >/dev/null || bash "$(dirname "$0")/clickhouse.sh" install
  [ -f /usr/share/java/zookeeper.jar ] && return
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq zookeeperd >/dev/null
}

# a connection made while ZooKeeper is still starting can go unanswered for good: each try gets 2 s
zk_ok() { [ "$(timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$ZK_PORT && printf ruok >&3 && cat <&3" 2>/dev/null)" = imok ]; }
ping() { curl -sf "http://127.0.0.1:2412$1/ping" >/dev/null 2>&1; }

start_zk() {
  if zk_ok; then return; fi
  local d="$CLUSTER_DIR/zk"
  mkdir -p "$d/data" "$d/log"
  cp /etc/zookeeper/conf_example/log4j.properties "$d/"
  cat > "$d/zoo.cfg" <<CFG
tickTime=1000
dataDir=$d/data
clientPort=$ZK_PORT
clientPortAddress=127.0.0.1
maxSessionTimeout=20000
4lw.commands.whitelist=*
admin.enableServer=false
CFG
  start_pid "$d/zk.pid" "$d/log/stdout.log" java -Xmx256m -Dzookeeper.log.dir="$d/log" -Dzookeeper.root.logger=WARN,ROLLINGFILE \
    -cp "$d:/usr/share/java/zookeeper.jar" org.apache.zookeeper.server.quorum.QuorumPeerMain "$d/zoo.cfg"
  wait_serving "$d/zk.pid" 600 0.05 zk_ok && return
  cat "$d/log/stdout.log" >&2; echo "ZooKeeper did not start" >&2; exit 1
}

node_config() {  # $1 = node number
  local n=$1 d="$CLUSTER_DIR/node$1" shard=$(( ($1 + 1) / 2 )) replica="r$(( ($1 + 1) % 2 + 1 ))"
  mkdir -p "$d/data" "$d/log"
  cat > "$d/config.xml" <<XML
<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>$d/log/server.log</log><errorlog>$d/log/err.log</errorlog><size>100M</size><count>2</count></logger>
  <http_port>2412$n</http_port>
  <tcp_port>2490$n</tcp_port>
  <interserver_http_port>2500$n</interserver_http_port>
  <interserver_http_host>127.0.0.1</interserver_http_host>
  <listen_host>127.0.0.1</listen_host>
  <path>$d/data/</path>
  <tmp_path>$d/data/tmp/</tmp_path>
  <user_files_path>$d/data/user_files/</user_files_path>
  <format_schema_path>$d/data/format_schemas/</format_schema_path>
  <users_config>$CLUSTER_DIR/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mark_cache_size>67108864</mark_cache_size>
  <uncompressed_cache_size>67108864</uncompressed_cache_size>
  <max_concurrent_queries>100</max_concurrent_queries>
  <max_table_size_to_drop>0</max_table_size_to_drop>
  <max_partition_size_to_drop>0</max_partition_size_to_drop>
  <zookeeper><node><host>127.0.0.1</host><port>$ZK_PORT</port></node><session_timeout_ms>10000</session_timeout_ms></zookeeper>
  <distributed_ddl><path>/clickhouse/task_queue/ddl</path></distributed_ddl>
  <macros><shard>$shard</shard><replica>$replica</replica></macros>
  <remote_servers><c2x2>
    <shard><internal_replication>true</internal_replication>
      <replica><host>127.0.0.1</host><port>24901</port></replica><replica><host>127.0.0.1</host><port>24902</port></replica></shard>
    <shard><internal_replication>true</internal_replication>
      <replica><host>127.0.0.1</host><port>24903</port></replica><replica><host>127.0.0.1</host><port>24904</port></replica></shard>
  </c2x2></remote_servers>
</yandex>
XML
}

start_node() {  # $1 = node number; ZooKeeper must answer first, or a server with replicated tables exits
  local d="$CLUSTER_DIR/node$1"
  if ping "$1"; then return; fi
  node_config "$1"
  clickhouse-server --daemon --pid-file="$d/server.pid" --config-file="$d/config.xml" >/dev/null 2>&1 9>&- # not the start lock
}

wait_node() {
  wait_for 2400 0.05 ping "$1" && return
  cat "$CLUSTER_DIR/node$1/log/err.log" >&2 || true; echo "ClickHouse node $1 did not start" >&2; exit 1
}

start() {
  mkdir -p "$(dirname "$CLUSTER_DIR")"
  start_lock "$CLUSTER_DIR.start.lock" # beside the directory: a fresh start removes the directory
  if ! zk_ok && ! ping 1; then
    # throw-away: a cluster starts empty (a node restarted on the data of an earlier cluster whose ZooKeeper state is
    # gone was seen to abort)
    rm -rf "$CLUSTER_DIR"
  fi
  mkdir -p "$CLUSTER_DIR"
  clickhouse_users "$CLUSTER_DIR/users.xml"
  start_zk
  for n in $NODES; do start_node "$n"; done
  for n in $NODES; do wait_node "$n"; done
  echo "ClickHouse cluster c2x2 ($(curl -s "http://127.0.0.1:24121/?query=SELECT%20version()")): HTTP 24121-24124, ZooKeeper 127.0.0.1:$ZK_PORT"
}

stop() {
  for n in $NODES; do stop_pid "$CLUSTER_DIR/node$n/server.pid" & done  # each takes seconds to shut down
  wait
  stop_pid "$CLUSTER_DIR/zk/zk.pid"
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  start-node) start_node "$2"; wait_node "$2" ;;  # a test brings back a node it stopped
  stop-node) stop_pid "$CLUSTER_DIR/node$2/server.pid" ;;
  kill-node) kill -KILL "$(cat "$CLUSTER_DIR/node$2/server.pid")" && stop_pid "$CLUSTER_DIR/node$2/server.pid" ;;
  *) echo "usage: $0 install|start|stop|start-node N|stop-node N|kill-node N" >&2; exit 2 ;;
esac
