# Sourced by .ci/clickhouse.sh, .ci/cluster.sh and .ci/chdb.sh: what a throw-away service started with a pid file
# needs (start, wait, stop), and the ClickHouse users file the servers of both ClickHouse scripts share.

# wait_for TRIES PAUSE COMMAND...: runs COMMAND until it succeeds, at most TRIES times, PAUSE seconds apart.
wait_for() {
  local tries=$1 pause=$2; shift 2
  for _ in $(seq 1 "$tries"); do "$@" && return 0; sleep "$pause"; done
  "$@"
}

# stop_pid FILE: TERM to the pid in FILE, KILL after 30 s, and return only once it is gone for good (a dying server
# still holds its data directory's lock and its ports); then removes FILE. Nothing to do without FILE.
stop_pid() {
  [ -f "$1" ] || return 0
  local pid; pid=$(cat "$1")
  kill -TERM "$pid" 2>/dev/null || true
  wait_for 300 0.1 gone "$pid" || true
  kill -KILL "$pid" 2>/dev/null || true
  wait_for 300 0.1 gone "$pid" || true
  rm -f "$1"
}

gone() { ! kill -0 "$1" 2>/dev/null; }

# start_lock FILE: holds an exclusive lock on FILE (fd 9) until the script ends, so that two starts at once run one after
# the other (the second then finds the service answering); servers started meanwhile must not inherit fd 9.
start_lock() {
  exec 9>"$1"
  flock 9
}

# start_pid FILE LOG COMMAND...: starts COMMAND in the background, detached from this shell's end, with its output in
# LOG and its pid in FILE (for stop_pid).
start_pid() {
  local file=$1 log=$2; shift 2
  nohup "$@" >"$log" 2>&1 9>&- & # fd 9: a start lock (start_lock) stays with the script, not with the server
  echo $! >"$file"
}

# wait_serving FILE TRIES PAUSE COMMAND...: wait_for, but gives up at once when the process of the pid in FILE is gone
# (a server that failed to start leaves nothing to wait for).
wait_serving() {
  local file=$1 tries=$2 pause=$3; shift 3
  for _ in $(seq 1 "$tries"); do
    "$@" && return 0
    gone "$(cat "$file")" && { "$@"; return; }
    sleep "$pause"
  done
  "$@"
}

# clickhouse_users FILE: the one user, default without a password, from 127.0.0.1 and ::1 only, no quotas.
clickhouse_users() {
  cat > "$1" <<'XML'
<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>10000000000</max_memory_usage><load_balancing>random</load_balancing></default></profiles>
  <users><default><password></password><networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
    <profile>default</profile><quota>default</quota></default></users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors>
    <result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
XML
}
