#!/usr/bin/env bash
# Demo: a JDK HTTP server without and with tfo-agent, fresh curl --tcp-fastopen requests
# from another network namespace, and the server namespace's own kernel counters as proof.
# Needs root (network namespaces). Usage: bash it/demo.sh [JAVA_HOME]
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA="${1:-${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}}/bin/java"
JAR=agent/target/tfo-agent.jar
REQUESTS=10 PORT=8080 CLIENT=tfodemo-client SERVER=tfodemo-server

if [ "$(id -u)" != 0 ]; then
  echo "demo: network namespaces need root; showing what this host supports instead:"
  [ -f "$JAR" ] || mvn -B -q -ntp -DskipTests package
  exec "$JAVA" -jar "$JAR" doctor
fi
command -v curl >/dev/null && command -v ip >/dev/null || {
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq curl iproute2 procps >/dev/null; }
[ -f "$JAR" ] || { echo "demo: building the agent (first run only)..."; mvn -B -q -ntp -DskipTests package; }

cleanup() {
  if [ -n "${SERVER_PID:-}" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  ip netns del "$CLIENT" 2>/dev/null || true
  ip netns del "$SERVER" 2>/dev/null || true
}
trap cleanup EXIT
cleanup
ip netns add "$CLIENT"; ip netns add "$SERVER"
ip link add tfodemo-c netns "$CLIENT" type veth peer name tfodemo-s netns "$SERVER"
ip -n "$CLIENT" addr add 198.18.99.1/24 dev tfodemo-c; ip -n "$SERVER" addr add 198.18.99.2/24 dev tfodemo-s
for ns in "$CLIENT" "$SERVER"; do
  ip -n "$ns" link set lo up
  ip netns exec "$ns" sysctl -qw net.ipv4.tcp_fastopen=3
done
ip -n "$CLIENT" link set tfodemo-c up; ip -n "$SERVER" link set tfodemo-s up

passive() { ip netns exec "$SERVER" awk '/^TcpExt:/ { if (!h) { for (i = 1; i <= NF; i++) n[i] = $i; h = 1 } else for (i = 1; i <= NF; i++) if (n[i] == "TCPFastOpenPassive") print $i }' /proc/net/netstat; }

round() { # $1: label, $2...: extra java arguments
  local label=$1; shift
  local log; log=$(mktemp)
  ip netns exec "$SERVER" "$JAVA" "$@" it/demo/DemoServer.java 198.18.99.2 "$PORT" >"$log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 200); do grep -q LISTENING "$log" && break; sleep 0.05; done
  grep -q LISTENING "$log" || { echo "demo: the server did not start:"; cat "$log"; exit 1; }
  local before ok=0; before=$(passive)
  for _ in $(seq "$REQUESTS"); do
    code=$(ip netns exec "$CLIENT" curl -s --tcp-fastopen -o /dev/null -w '%{http_code}' "http://198.18.99.2:$PORT/")
    [ "$code" = 200 ] && ok=$((ok + 1))
  done
  local after; after=$(passive)
  kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=
  printf '%-22s %8s %10s %26s\n' "$label" "$REQUESTS" "$ok" "$((after - before))"
  grep '^tfo-agent' "$log" | sed 's/^/    /' || true
  rm -f "$log"
}

echo "JDK HTTP server in namespace $SERVER (198.18.99.2), curl --tcp-fastopen from $CLIENT; $REQUESTS fresh connections each:"
printf '%-22s %8s %10s %26s\n' "server" "requests" "200 OK" "request in SYN (kernel)"
round "without the agent"
round "with tfo-agent" "-javaagent:$JAR"
echo "The last column is the server namespace's TcpExt TCPFastOpenPassive counter: the kernel's count of"
echo "connections whose request arrived inside the SYN. The first request of a client only fetches its cookie."
