#!/usr/bin/env bash
# In-process micro-benchmark of the network plan (io.netattach.plan): the plan of a pod with 10
# networks (macvlan + static IPAM + route-override each, OpenShift's default cluster networks), and
# pod / NAD validation with and without the plan's checks, and the shared-segment check against an
# index of 100,000 NADs. Target: the plan under 100 µs.
# Builds the test classes, then runs io.netattach.bench.PlanBench. Extra arguments:
# [--warmup N] [--iterations N].
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
./mvnw -B -q test-compile
./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
exec "$JAVA_HOME/bin/java" -XX:+UseSerialGC -Xms256m -Xmx256m \
  -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" io.netattach.bench.PlanBench "$@"
