#!/usr/bin/env bash
# RTT emulator for benchmarks by hand: two network namespaces joined by the project's delay line
# (this kernel has no sch_netem; see it/src/test/java/io/tfoagent/it/rtt/DelayLine.java).
#
#   bash it/rtt.sh start RTT_MS [A_TO_B_MS B_TO_A_MS]   namespaces tfortt-client, tfortt-server; the line in the background
#   bash it/rtt.sh status                               running or not, the delays and the line's counters
#   bash it/rtt.sh stop                                 stops the line, deletes both namespaces
#
# Needs root. Both namespaces get lo up and net.ipv4.tcp_fastopen=3. Run programs in them with
# `ip netns exec tfortt-client ...` / `ip netns exec tfortt-server ...`; start prints the addresses.
# JAVA_HOME picks the JDK that runs the line (default: java on PATH); TFORTT_STATE the state directory.
set -euo pipefail
cd "$(dirname "$0")/.."

CLIENT=tfortt-client
SERVER=tfortt-server
SUBNET=200
STATE=${TFORTT_STATE:-/run/tfortt}
PID_FILE=$STATE/pid
LOG=$STATE/log
STATUS=$STATE/status
CLASSES=$STATE/classes
SOURCES=it/src/test/java/io/tfoagent/it/rtt
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
JAVAC=${JAVA_HOME:+$JAVA_HOME/bin/}javac

die() { echo "rtt.sh: $*" >&2; exit 1; }
source it/bench/maven.sh
usage() { sed -n '4,6p' "$0" | sed 's/^# *//' >&2; exit 2; }

running_pid() {
  [ -f "$PID_FILE" ] || return 1
  local pid; pid=$(cat "$PID_FILE")
  # Only our own java: a stale pid file may name a pid the OS gave to something else since.
  if kill -0 "$pid" 2>/dev/null && grep -q 'DelayLineMain' "/proc/$pid/cmdline" 2>/dev/null; then
    echo "$pid"
  else
    return 1
  fi
}

delete_namespaces() {
  local ns
  for ns in "$CLIENT" "$SERVER"; do
    if ip netns list | grep -qw "^$ns"; then ip netns del "$ns"; fi
  done
}

# The line's classes depend on JNA only: compiled here, into the state directory, so that a
# `mvn clean` elsewhere cannot pull them from under a running line.
build() {
  mkdir -p "$STATE"
  if [ ! -s "$STATE/jna.classpath" ]; then
    echo "rtt.sh: resolving JNA with Maven (first run only)..."
    bench_mvn "resolve JNA" "$STATE/mvn.log" -pl native-shim dependency:build-classpath -DincludeArtifactIds=jna \
      -Dmdep.outputFile="$STATE/jna.classpath"
  fi
  local stamp=$CLASSES/io/tfoagent/it/rtt/DelayLineMain.class
  if [ ! -f "$stamp" ] || [ -n "$(find "$SOURCES" -name '*.java' -newer "$stamp")" ]; then
    rm -rf "$CLASSES"
    "$JAVAC" --release 17 -nowarn -d "$CLASSES" -cp "$(cat "$STATE/jna.classpath")" "$SOURCES"/*.java \
      || die "cannot compile $SOURCES"
  fi
}

start() {
  [ $# = 1 ] || [ $# = 3 ] || usage
  local arg
  for arg in "$@"; do [[ $arg =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "not a number of milliseconds: $arg"; done
  if pid=$(running_pid); then die "already running (pid $pid); stop it first"; fi
  build
  delete_namespaces # left by a line that was killed
  local ns
  for ns in "$CLIENT" "$SERVER"; do
    ip netns add "$ns"
    ip -n "$ns" link set lo up
    ip netns exec "$ns" sysctl -qw net.ipv4.tcp_fastopen=3
  done
  local delays=()
  [ $# = 3 ] && delays=(--a-to-b-ms "$2" --b-to-a-ms "$3")
  # Serial GC and a small heap: the forwarding path allocates nothing, so no collection pauses the line.
  # setsid: the line outlives this shell and its terminal; stop ends it by its pid.
  : >"$LOG"
  setsid "$JAVA" -XX:+UseSerialGC -Xms32m -Xmx64m --enable-native-access=ALL-UNNAMED \
    -cp "$CLASSES:$(cat "$STATE/jna.classpath")" io.tfoagent.it.rtt.DelayLineMain run \
    --a "$CLIENT" --b "$SERVER" --rtt-ms "$1" "${delays[@]}" --subnet "$SUBNET" --status "$STATUS" \
    </dev/null >"$LOG" 2>&1 &
  local pid=$!
  echo "$pid" >"$PID_FILE"
  local i
  for i in $(seq 300); do
    grep -q '^READY' "$LOG" && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if ! grep -q '^READY' "$LOG"; then
    kill "$pid" 2>/dev/null || true
    cat "$LOG" >&2
    rm -f "$PID_FILE"
    delete_namespaces
    die "the line did not start"
  fi
  cat <<EOF
rtt.sh: delay line running (pid $pid), log $LOG
$(grep -E '^(READY|A |B )' "$LOG")

  client namespace $CLIENT: 198.18.$SUBNET.1, 2001:2:0:$SUBNET::1
  server namespace $SERVER: 198.18.$SUBNET.2, 2001:2:0:$SUBNET::2   (tcp_fastopen=3 in both)

  e.g. ip netns exec $SERVER java -javaagent:agent/target/tfo-agent.jar -jar server.jar   # listen on 198.18.$SUBNET.2
       ip netns exec $CLIENT curl --tcp-fastopen http://198.18.$SUBNET.2:8080/
       bash it/rtt.sh stop
EOF
}

stop() {
  local pid
  if pid=$(running_pid); then
    kill -TERM "$pid"
    local i
    for i in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      echo "rtt.sh: pid $pid ignored SIGTERM for 10 s; killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true # its TUN devices go with its fds
    fi
    echo "rtt.sh: stopped the line (pid $pid)"
    grep -A3 '^STOPPED' "$LOG" | tail -n +2 || true
  else
    echo "rtt.sh: no line running"
  fi
  rm -f "$PID_FILE"
  delete_namespaces
}

status() {
  local pid
  if pid=$(running_pid); then
    echo "running (pid $pid)"
    cat "$STATUS" 2>/dev/null || true
  else
    echo "not running"
  fi
  local ns
  for ns in "$CLIENT" "$SERVER"; do
    if ip netns list | grep -qw "^$ns"; then echo "namespace $ns: $(ip -n "$ns" -o -4 addr show dev rtt$SUBNET 2>/dev/null | awk '{print $4, $5, $6}')"; fi
  done
  [ -n "${pid:-}" ]
}

[ $# -ge 1 ] || usage
[ "$(id -u)" = 0 ] || die "needs root (network namespaces, TUN devices)"
command -v ip >/dev/null || die "needs iproute2 (apt-get install iproute2)"
cmd=$1; shift
case "$cmd" in
  start) start "$@" ;;
  stop) [ $# = 0 ] || usage; stop ;;
  status) [ $# = 0 ] || usage; status ;;
  *) usage ;;
esac
