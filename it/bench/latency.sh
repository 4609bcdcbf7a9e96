#!/usr/bin/env bash
# Fresh-request latency of tfo-agent across an emulated RTT (issue 4; see BENCHMARKS.md).
#
#   it/bench/latency.sh [--quick] [--rtts 10,50,100] [--count N] [--rounds R]
#                       [--workloads http-get,https-get,http-post] [--clients SOCKET,URL_CONNECTION,JDK_HTTP_CLIENT,NETTY]
#                       [JDK_HOME...]
#
# Default JDKs: the `java` on PATH (OpenJDK 17 here) and /usr/lib/jvm/temurin-25-jdk-amd64.
# Two network namespaces joined by the project's delay line (it/src/test/java/io/tfoagent/it/rtt),
# nginx (HTTP, HTTPS TLS 1.3, listen fastopen) in one; JVM clients (java.net.Socket, HttpURLConnection,
# JDK HttpClient, Netty NIO) in the other, without and with -javaagent:tfo-agent.jar=allow=198.18.0.0/15,
# server=off, interleaved run by run, beside curl --tcp-fastopen and the measured RTT. Prints the table
# and PASS/MISS against issue 4's targets; writes it/target/latency/<time>/ (report.txt, samples.csv,
# latency-<rtt>ms.svg, every run's output) and copies the SVGs to it/target/latency-<rtt>ms.svg.
# Needs root, nginx-light and curl. Builds the agent only if it is missing (package, never install). Default: 30 timed requests
# per cell in 5 rounds, ~15 min for two JDKs on the 2-core box; --quick: 10 in 2 rounds, ~6 min.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"

jdks=()
opts=()
while (($#)); do
  case $1 in
    --quick) opts+=(--quick) ;;
    --rtts | --count | --rounds | --workloads | --clients | --warmup-ms | --warmup-tls-ms | --warmup-count) opts+=("$1" "$2"); shift ;;
    -h | --help) sed -n '2,16p' "$0"; exit 0 ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) jdks+=("$1") ;;
  esac
  shift
done
source it/bench/jdks.sh
source it/bench/maven.sh
[[ $(id -u) == 0 ]] || { echo "latency.sh: needs root (network namespaces, TUN devices)" >&2; exit 2; }
for tool in /usr/sbin/nginx curl ip; do
  command -v "$tool" >/dev/null || { echo "latency.sh: needs $tool (apt-get install nginx-light curl iproute2)" >&2; exit 2; }
done

if [[ ! -f agent/target/tfo-agent.jar ]]; then
  echo "building the agent" >&2
  bench_mvn "build the agent" it/target/latency/mvn-package.log -DskipTests package -pl native-shim,agent
fi
out=it/target/latency/$(date -u +%Y%m%d-%H%M%S)
mkdir -p "$out"
# A snapshot: another build may replace agent/target during the run.
cp agent/target/tfo-agent.jar "$out/tfo-agent.jar"

# Only the delay line and this benchmark are compiled (they need JNA and Netty alone), into a
# directory of their own: the rest of it/'s test sources play no part and cannot get in the way.
# -am: native-shim comes from this work tree's reactor (its target/classes), so nothing of this
# project needs to be in ~/.m2. Every module of the reactor writes its own target/latency/classpath.txt;
# it/'s is the one used. Resolved again when it/pom.xml changed or an entry is gone (a `mvn clean`).
work=it/target/latency
stale=false
if [[ -s $work/classpath.txt ]]; then
  IFS=: read -ra entries <"$work/classpath.txt"
  for entry in "${entries[@]}"; do [[ -e $entry ]] || stale=true; done
fi
if [[ ! -s $work/classpath.txt || it/pom.xml -nt $work/classpath.txt || $stale == true ]]; then
  echo "resolving the benchmark's class path with Maven" >&2
  bench_mvn "resolve the benchmark's class path" "$work/mvn-classpath.log" -pl it -am compile \
    dependency:build-classpath -Dmdep.includeScope=test \
    -DexcludeArtifactIds=byte-buddy,jmh-core,jmh-generator-annprocess,jopt-simple,commons-math3 \
    -Dmdep.outputFile=target/latency/classpath.txt
fi
deps=$(cat $work/classpath.txt)
rm -rf "$work/classes"
# -sourcepath: a class the listed ones come to need (a helper moved to a package of its own) is compiled too.
"${jdks[0]}/bin/javac" --release 17 -proc:none -nowarn -d "$work/classes" -cp "$deps" -sourcepath it/src/test/java \
  it/src/test/java/io/tfoagent/it/rtt/*.java it/src/test/java/io/tfoagent/it/latency/*.java \
  it/src/test/java/io/tfoagent/it/tls/*.java it/src/test/java/io/tfoagent/it/nginx/*.java \
  it/src/test/java/io/tfoagent/it/peers/AgentWarmUp.java \
  || { echo "latency.sh: cannot compile the benchmark (javac's errors above)" >&2; exit 1; }

jdk_args=()
for jdk in "${jdks[@]}"; do jdk_args+=(--jdk "$jdk"); done
"${jdks[0]}/bin/java" -cp "$root/$work/classes:$deps" io.tfoagent.it.latency.LatencyBench \
  --agent-jar "$out/tfo-agent.jar" --out "$out" "${jdk_args[@]}" "${opts[@]}"
for svg in "$out"/latency-*ms.svg; do cp "$svg" it/target/; done
echo "logs and pictures: $out" >&2
