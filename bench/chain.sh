#!/usr/bin/env bash
# Seed chain ADD+DEL timings (needs root): the pod's two networks of deploy/examples (macvlan + static
# IPAM + route-override) in a fresh node/pod namespace pair,
#   - in process (bundled plugins, no JVM start), next to the kernel's own share of the work,
#   - through the bundled plugin executables (target/cni-bin JVM launchers, or --cni-path DIR),
#   - macvlan + static through the bundled executables and through the reference Go plugins
#     (/usr/lib/cni, Debian containernetworking-plugins; it has no route-override), with the ratio.
# Prints median and p99 per variant. Usage: bench/chain.sh [ROUNDS] [extra demo options]
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
rounds=${1:-30}
shift || true
if [ "$(id -u)" != 0 ]; then
  echo "bench/chain.sh: needs root (network namespaces)" >&2
  exit 2
fi
if [ ! -f target/quarkus-app/quarkus-run.jar ] || [ ! -x target/cni-bin/macvlan ]; then
  ./mvnw -B -q package -DskipTests
fi
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar target/quarkus-app/quarkus-run.jar \
  demo --bench "$rounds" "$@"
