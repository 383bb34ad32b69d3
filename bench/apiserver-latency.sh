#!/usr/bin/env bash
# What the admission webhooks add to API requests through the real kube-apiserver: NAD create and pod
# create latency (p50/p99/mean over N sequential requests each) with no webhook configuration registered,
# with netattach's (deploy/base rendered with url clientConfig), and with the upstream Go
# net-attach-def-admission-controller (../shared/peers) registered the same way for NADs, all in one run,
# interleaved in rounds. Runs io.netattach.e2e.AdmissionLatencyBench (test scope, not part of ./mvnw verify)
# on the end-to-end suite's cluster (../shared/k8s, etcd from Debian). See docs/apiserver-latency.md.
#
# Environment: N (requests per scenario and operation, 1000), ROUNDS (2), WARMUP (20 unmeasured requests
# before each block), IPAM (host-local, or static: the seed chain with a distinct static address
# per NAD), JAVA_HOME (Temurin 25), PACKAGE=1 to force `./mvnw package`.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
N="${N:-1000}"
IPAM="${IPAM:-host-local}"
ROUNDS="${ROUNDS:-2}"
WARMUP="${WARMUP:-20}"

if [ "${PACKAGE:-0}" = 1 ] || [ ! -f target/quarkus-app/quarkus-run.jar ] \
    || [ ! -f target/test-classes/io/netattach/e2e/AdmissionLatencyBench.class ]; then
  echo "bench: packaging (./mvnw -B -q package -DskipTests)"
  ./mvnw -B -q package -DskipTests
fi
if [ ! -s target/bench-classpath.txt ] || [ pom.xml -nt target/bench-classpath.txt ]; then
  ./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
fi

# kube-api-test reads its directory only from the environment (as the failsafe configuration sets it)
export KUBE_API_TEST_DIR="$PWD/target/k8s"
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
  -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -Dbench.n="$N" -Dbench.rounds="$ROUNDS" -Dbench.warmup="$WARMUP" -Dbench.ipam="$IPAM" \
  -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  io.netattach.e2e.AdmissionLatencyBench
