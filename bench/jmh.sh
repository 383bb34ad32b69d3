#!/usr/bin/env bash
# Runs JMH micro-benchmarks (src/jmh/java, compiled only with the Maven profile "bench" into target/bench;
# not part of the normal build or the production jar). Arguments go to JMH unchanged: a benchmark regex
# and options, e.g.
#   bench/jmh.sh ValidatorBenchmark -wi 2 -i 3 -w 1s -r 1s
#   bench/jmh.sh -l          # list the benchmarks
#   bench/jmh.sh -h          # JMH's options
# bench/validator.sh, bench/injection.sh, bench/route-override.sh and bench/chain.sh call it.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
if [ "${BENCH_SKIP_BUILD:-}" != 1 ]; then
  ./mvnw -B -q -Pbench test-compile
  ./mvnw -B -q -Pbench dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile=target/bench/classpath.txt >/dev/null
fi
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
  -cp "target/bench/test-classes:target/bench/classes:$(cat target/bench/classpath.txt)" org.openjdk.jmh.Main "$@"
