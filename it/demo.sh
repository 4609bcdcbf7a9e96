#!/usr/bin/env bash
# Demo of tfo-agent in two network namespaces, with the kernel's own counters as proof:
#  1. server side: a JDK HTTP server without and with the agent, fresh curl --tcp-fastopen requests;
#  2. client side: across an emulated 50 ms round trip (the project's delay line), a JVM client doing
#     fresh GETs to a JVM server, without and with the agent: median and p99 per request.
# Needs root (network namespaces, TUN devices); otherwise runs `doctor`. ~1 minute once built.
# Usage: bash it/demo.sh [JAVA_HOME]
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA_HOME_DIR="${1:-${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}}"
JAVA=$JAVA_HOME_DIR/bin/java
JAVAC=$JAVA_HOME_DIR/bin/javac
JAR=agent/target/tfo-agent.jar
REQUESTS=10 PORT=8080 CLIENT=tfodemo-client SERVER=tfodemo-server
RTT_MS=50 RTT_REQUESTS=20 SUBNET=200
WORK=it/target/demo

if [ "$(id -u)" != 0 ]; then
  echo "demo: network namespaces need root; showing what this host supports instead:"
  [ -f "$JAR" ] || mvn -B -q -ntp -DskipTests package
  exec "$JAVA" -jar "$JAR" doctor
fi
command -v curl >/dev/null && command -v ip >/dev/null || {
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq curl iproute2 procps >/dev/null; }
[ -f "$JAR" ] || { echo "demo: building the agent (first run only)..."; mvn -B -q -ntp -DskipTests package; }

cleanup() {
  local pid
  for pid in ${SERVER_PID:-} ${LINE_PID:-}; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  SERVER_PID= LINE_PID=
  ip netns del "$CLIENT" 2>/dev/null || true
  ip netns del "$SERVER" 2>/dev/null || true
}
trap cleanup EXIT
trap 'echo; echo "demo: interrupted"; exit 130' INT TERM
cleanup
ip netns add "$CLIENT"; ip netns add "$SERVER"
ip link add tfodemo-c netns "$CLIENT" type veth peer name tfodemo-s netns "$SERVER"
ip -n "$CLIENT" addr add 198.18.99.1/24 dev tfodemo-c; ip -n "$SERVER" addr add 198.18.99.2/24 dev tfodemo-s
for ns in "$CLIENT" "$SERVER"; do
  ip -n "$ns" link set lo up
  ip netns exec "$ns" sysctl -qw net.ipv4.tcp_fastopen=3
done
ip -n "$CLIENT" link set tfodemo-c up; ip -n "$SERVER" link set tfodemo-s up

counter() { # $1: namespace, $2: TcpExt counter
  ip netns exec "$1" awk -v want="$2" '/^TcpExt:/ { if (!h) { for (i = 1; i <= NF; i++) n[i] = $i; h = 1 } else for (i = 1; i <= NF; i++) if (n[i] == want) print $i }' /proc/net/netstat
}

start_server() { # $1: address, $2: log, $3...: extra java arguments
  local address=$1 log=$2; shift 2
  # nodelay: the JDK server writes headers and body apart; Nagle would hold the body for an ACK.
  ip netns exec "$SERVER" "$JAVA" -Dsun.net.httpserver.nodelay=true "$@" it/demo/DemoServer.java "$address" "$PORT" >"$log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 300); do grep -q LISTENING "$log" && break; sleep 0.05; done
  grep -q LISTENING "$log" || { echo "demo: the server did not start:"; cat "$log"; exit 1; }
}

stop_server() {
  kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=
}

# ---- 1. Server side: the JVM server accepts requests that arrive inside the SYN.
round() { # $1: label, $2...: extra java arguments
  local label=$1; shift
  local log; log=$(mktemp)
  start_server 198.18.99.2 "$log" "$@"
  local before ok=0; before=$(counter "$SERVER" TCPFastOpenPassive)
  for _ in $(seq "$REQUESTS"); do
    code=$(ip netns exec "$CLIENT" curl -s --tcp-fastopen -o /dev/null -w '%{http_code}' "http://198.18.99.2:$PORT/")
    [ "$code" = 200 ] && ok=$((ok + 1))
  done
  local after; after=$(counter "$SERVER" TCPFastOpenPassive)
  stop_server
  printf '%-22s %8s %10s %26s\n' "$label" "$REQUESTS" "$ok" "$((after - before))"
  grep '^tfo-agent' "$log" | sed 's/^/    /' || true
  rm -f "$log"
}

echo "1. Server side. JDK HTTP server in namespace $SERVER (198.18.99.2), curl --tcp-fastopen from $CLIENT; $REQUESTS fresh connections each:"
printf '%-22s %8s %10s %26s\n' "server" "requests" "200 OK" "request in SYN (kernel)"
round "without the agent"
round "with tfo-agent" "-javaagent:$JAR"
echo "The last column is the server namespace's TcpExt TCPFastOpenPassive counter: the kernel's count of"
echo "connections whose request arrived inside the SYN. The first request of a client only fetches its cookie."
echo

# ---- 2. Client side, across an emulated round trip (this kernel may have no sch_netem: the
# project's delay line holds every packet between the namespaces, over a TUN device in each).
mkdir -p "$WORK"
if [ ! -s "$WORK/jna.classpath" ]; then
  echo "demo: resolving JNA for the delay line with Maven (first run only)..."
  mvn -B -q -ntp -pl native-shim dependency:build-classpath -DincludeArtifactIds=jna \
    -Dmdep.outputFile="$PWD/$WORK/jna.classpath" >"$WORK/mvn.log" 2>&1 || { cat "$WORK/mvn.log"; exit 1; }
fi
stamp=$WORK/rtt-classes/io/tfoagent/it/rtt/DelayLineMain.class
if [ ! -f "$stamp" ] || [ -n "$(find it/src/test/java/io/tfoagent/it/rtt -name '*.java' -newer "$stamp")" ]; then
  rm -rf "$WORK/rtt-classes"
  "$JAVAC" --release 17 -nowarn -d "$WORK/rtt-classes" -cp "$(cat "$WORK/jna.classpath")" it/src/test/java/io/tfoagent/it/rtt/*.java
fi
LINE_LOG=$WORK/delayline.log
: >"$LINE_LOG"
"$JAVA" -XX:+UseSerialGC -Xms32m -Xmx64m --enable-native-access=ALL-UNNAMED \
  -cp "$WORK/rtt-classes:$(cat "$WORK/jna.classpath")" io.tfoagent.it.rtt.DelayLineMain run \
  --a "$CLIENT" --b "$SERVER" --rtt-ms "$RTT_MS" --subnet "$SUBNET" --parent $$ </dev/null >"$LINE_LOG" 2>&1 &
LINE_PID=$!
for _ in $(seq 300); do grep -q '^READY' "$LINE_LOG" && break; kill -0 "$LINE_PID" 2>/dev/null || break; sleep 0.1; done
grep -q '^READY' "$LINE_LOG" || { echo "demo: the delay line did not start:"; cat "$LINE_LOG"; exit 1; }
HOST=198.18.$SUBNET.2

SERVER_LOG=$(mktemp)
start_server "$HOST" "$SERVER_LOG" "-javaagent:$JAR"

client_round() { # $1: label, $2...: extra java arguments
  local label=$1; shift
  local out; out=$(mktemp)
  ip netns exec "$CLIENT" "$JAVA" "$@" it/demo/DemoClient.java "$HOST" "$PORT" "$RTT_REQUESTS" >"$out" 2>&1 || {
    echo "demo: the client failed:"; cat "$out"; exit 1; }
  local result; result=$(grep '^RESULT' "$out")
  field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$result"; }
  [ -z "${RTT_SEEN:-}" ] && RTT_SEEN=$(field connect_median_ms)
  printf '%-22s %8s %10s %10s %24s\n' "$label" "$(field ok)" "$(field median_ms)" "$(field p99_ms)" "$(field syn_data_acked)"
  grep '^tfo-agent.*client:' "$out" | sed 's/^/    /' || true
  rm -f "$out"
}

curl_round() {
  local times; times=$(for _ in $(seq "$RTT_REQUESTS"); do
    ip netns exec "$CLIENT" curl -s --tcp-fastopen -o /dev/null -w '%{time_total}\n' "http://$HOST:$PORT/"; done | sort -n)
  awk -v n="$RTT_REQUESTS" '{ t[NR] = $1 * 1000 } END {
    m = (t[int((n + 1) / 2)] + t[int(n / 2) + 1]) / 2; p = t[n - int(n / 100)];
    printf "%-22s %8d %10.1f %10.1f %24s\n", "curl --tcp-fastopen", NR, m, p, "(native reference)" }' <<<"$times"
}

echo "2. Client side. A JVM client (java.net.Socket, a fresh connection per GET) in $CLIENT, the JDK HTTP server"
echo "   (with the agent) in $SERVER at $HOST, across an emulated ${RTT_MS} ms round trip; $RTT_REQUESTS timed GETs each"
echo "   after 3 untimed ones (the first fetches the TFO cookie):"
printf '%-22s %8s %10s %10s %24s\n' "client" "200 OK" "median ms" "p99 ms" "SYN data acked (kernel)"
client_round "without the agent"
client_round "with tfo-agent" "-javaagent:$JAR=allow=198.18.0.0/15,server=off"
curl_round
stop_server
grep '^tfo-agent.*server:' "$SERVER_LOG" | sed 's/^/    server /' || true
rm -f "$SERVER_LOG"
echo "Round trip measured by the client's own TCP connect without the agent: ${RTT_SEEN} ms. A fresh request costs"
echo "2 round trips without TFO (handshake, then request) and 1 with the GET inside the SYN. The last column is the"
echo "client namespace's TcpExt TCPFastOpenActive counter: SYNs whose data the server acknowledged."
