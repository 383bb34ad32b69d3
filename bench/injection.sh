#!/usr/bin/env bash
# In-process micro-benchmark of the pod injection decision (PodInjector against the webhook's
# CatalogIndex) for catalogs of 10, 1,000 and 10,000 NADs, 10 of them selecting the pod, plus pod
# validation. Target: under 50 µs per decision and flat in the catalog size (an index, not a scan).
# Builds the test classes, then runs io.netattach.bench.InjectionBench. Extra arguments:
# [--warmup N] [--iterations N].
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
./mvnw -B -q test-compile
./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
exec "$JAVA_HOME/bin/java" -XX:+UseSerialGC -Xms256m -Xmx256m \
  -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" io.netattach.bench.InjectionBench "$@"
