#!/usr/bin/env bash
# The overhead benchmarks of tfo-agent (see BENCHMARKS.md), on each JDK given, printed as one table.
#
#   it/bench/overhead.sh [--quick] [--only classifier,policy,native,write,tracked,conn,heap] [JDK_HOME...]
#
# Default JDKs: the `java` on PATH (OpenJDK 17 here) and /usr/lib/jvm/temurin-25-jdk-amd64.
# Builds the agent only if it is missing (package, never install: ~/.m2 is left alone); copies it
# (another build may replace agent/target during the run); compiles it/ with the modules it needs
# from this work tree, whose test sources hold the benchmarks (io.tfoagent.it.bench, never run by
# `mvn verify`), and copies those classes too; then runs
# io.tfoagent.it.bench.OverheadBench inside a network namespace of its own with
# net.ipv4.tcp_fastopen=3 (needs root; without it the run stays in this namespace, and the
# "allowed" connection variant gets no TFO from the server, and "tracked" fails: its 1,000
# followed sockets need deferred connects).
# Logs: it/target/bench/overhead-<time>/. About 7 minutes per JDK (--quick: 1-2, smoke test only).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"

jdks=()
opts=()
while (($#)); do
  case $1 in
    --quick) opts+=(--quick) ;;
    --only | --ab-rounds | --conn-rounds | --conn-seconds | --heap-rounds) opts+=("$1" "$2"); shift ;;
    -h | --help) sed -n '2,15p' "$0"; exit 0 ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) jdks+=("$1") ;;
  esac
  shift
done
source it/bench/jdks.sh
source it/bench/maven.sh

if [[ ! -f agent/target/tfo-agent.jar || ! -d agent/target/classes/io/tfoagent/core \
      || ! -f agent/target/bridge-classes/sun/nio/ch/TfoBridge.class ]]; then
  echo "building the agent" >&2
  bench_mvn "build the agent" it/target/bench/mvn-package.log -DskipTests package -pl native-shim,agent
fi
out=it/target/bench/overhead-$(date +%Y%m%d-%H%M%S)
mkdir -p "$out/agent"
cp -p agent/target/tfo-agent.jar "$out/agent/"
cp -rp agent/target/classes "$out/agent/classes"
cp -rp agent/target/bridge-classes "$out/agent/bridge-classes"

echo "compiling it/ and resolving its test class path" >&2
# -am: native-shim from this work tree (target/classes), not whatever ~/.m2 holds. Every module
# of the reactor writes its own target/bench/classpath.txt; it/'s is the one used.
bench_mvn "compile it/ and resolve its test class path" "$out/mvn-classpath.log" -pl it -am -DskipTests \
  test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench/classpath.txt
# A copy, like the agent's: other builds in this work tree may recompile it/target/test-classes.
cp -r it/target/test-classes "$out/test-classes"
classpath=$root/$out/test-classes:$(cat it/target/bench/classpath.txt)

run=()
if [[ $(id -u) == 0 ]] && command -v ip >/dev/null; then
  ns=tfobench-$$
  ip netns add "$ns"
  trap 'ip netns delete "$ns" 2>/dev/null || true' EXIT
  ip -n "$ns" link set lo up
  ip netns exec "$ns" sysctl -qw net.ipv4.tcp_fastopen=3
  # Thousands of connections a second: room for ephemeral ports (the server closes first anyway).
  ip netns exec "$ns" sysctl -qw net.ipv4.ip_local_port_range="1024 65000"
  run=(ip netns exec "$ns")
else
  echo "not root: running in this network namespace (net.ipv4.tcp_fastopen=$(cat /proc/sys/net/ipv4/tcp_fastopen))" >&2
fi

jdk_args=()
for jdk in "${jdks[@]}"; do jdk_args+=(--jdk "$jdk"); done
"${run[@]}" "${jdks[0]}/bin/java" -cp "$classpath" io.tfoagent.it.bench.OverheadBench \
  --agent-jar "$out/agent/tfo-agent.jar" --agent-classes "$out/agent/classes" \
  --bridge-classes "$out/agent/bridge-classes" --out "$out" "${jdk_args[@]}" "${opts[@]}"
echo "logs: $out" >&2
