#!/usr/bin/env bash
# route-override ADD+DEL latency: in-process (the work without JVM start) and through the
# target/cni-bin/route-override launcher, with a breakdown of what the launcher time is made of.
# Needs root (network namespaces) and iproute2. Usage (from the repository root):
#   bench/route-override.sh                 # builds target/cni-bin if missing
#   RUNS=2000 LAUNCHER_RUNS=50 bench/route-override.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
if [ "$(id -u)" != 0 ]; then
  echo "bench/route-override.sh needs root (it creates network namespaces)" >&2
  exit 2
fi
if [ ! -x target/cni-bin/route-override ] || [ ! -f target/cni-bin/netattach-plugins.jar ]; then
  ./mvnw -B -q process-classes
fi
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC \
  -Druns="${RUNS:-1000}" -DlauncherRuns="${LAUNCHER_RUNS:-30}" -DcniBin=target/cni-bin \
  -cp target/cni-bin/netattach-plugins.jar bench/RouteOverrideBench.java
