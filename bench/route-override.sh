#!/usr/bin/env bash
# route-override ADD+DEL latency, needs root (network namespaces) and iproute2:
#   1. in process under JMH (src/jmh/java/io/netattach/bench/RouteOverrideBenchmark.java): the plugin's own
#      work without the JVM start, p50/p90/p99 in µs. Target: under 2 ms.
#   2. through the target/cni-bin/route-override launcher as a real process (bench/RouteOverrideBench.java),
#      with a breakdown of what the launcher time is made of (process starts: not a JMH micro-benchmark).
# Usage (from the repository root):
#   bench/route-override.sh                          # both
#   LAUNCHER_RUNS=0 bench/route-override.sh -wi 2 -i 3 -w 1s -r 1s   # in process only, shorter; extra args go to JMH
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
if [ "$(id -u)" != 0 ]; then
  echo "bench/route-override.sh needs root (it creates network namespaces)" >&2
  exit 2
fi
bench/jmh.sh 'io.netattach.bench.RouteOverrideBenchmark' "$@"
if [ "${LAUNCHER_RUNS:-30}" -gt 0 ]; then
  if [ ! -x target/cni-bin/route-override ] || [ ! -f target/cni-bin/netattach-plugins.jar ]; then
    ./mvnw -B -q process-classes
  fi
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC \
    -DlauncherRuns="${LAUNCHER_RUNS:-30}" -DcniBin=target/cni-bin \
    -cp target/cni-bin/netattach-plugins.jar bench/RouteOverrideBench.java
fi
