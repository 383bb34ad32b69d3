#!/usr/bin/env bash
# Seed chain ADD+DEL timings (needs root): the pod's two networks of deploy/examples (macvlan + static
# IPAM + route-override) in a fresh node/pod namespace pair,
#   - in process (bundled plugins, no JVM start), next to the kernel's own share of the work,
#   - through the bundled plugin executables (target/cni-bin JVM launchers, or --cni-path DIR),
#   - macvlan + static through the bundled executables and through the reference Go plugins
#     (/usr/lib/cni, Debian containernetworking-plugins; it has no route-override), with the ratio.
# Prints median and p99 per variant (io.netattach.cli.ChainBench, src/jmh/java: not in the production jar).
# The in-process figure alone under JMH: bench/jmh.sh SeedChainBenchmark.
# Usage: bench/chain.sh [ROUNDS] [--examples DIR] [--cni-path DIR] [--reference-path DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
if [ "$(id -u)" != 0 ]; then
  echo "bench/chain.sh: needs root (network namespaces)" >&2
  exit 2
fi
./mvnw -B -q -Pbench test-compile
./mvnw -B -q -Pbench dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench/classpath.txt >/dev/null
cni_path=()
case " $* " in
  *" --cni-path "*) ;;
  *) cni_path=(--cni-path "$PWD/target/bench/cni-bin") ;;
esac
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
  -cp "target/bench/test-classes:target/bench/classes:$(cat target/bench/classpath.txt)" \
  io.netattach.cli.ChainBench "$@" "${cni_path[@]}"
