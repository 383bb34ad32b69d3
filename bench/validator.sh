#!/usr/bin/env bash
# In-process micro-benchmark of NadValidator on the seed NADs (target: under 20 µs per validation).
# Builds the test classes, then runs io.netattach.bench.ValidatorBench: warm-up, timed single calls,
# mean, trimmed mean, p50/p90/p99/max per validation. Extra arguments: [--warmup N] [--iterations N].
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
./mvnw -B -q test-compile
./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
exec "$JAVA_HOME/bin/java" -XX:+UseSerialGC -Xms256m -Xmx256m \
  -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" io.netattach.bench.ValidatorBench "$@"
