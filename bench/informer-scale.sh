#!/usr/bin/env bash
# Informer catalog at scale (issue 13): the packaged webhook exactly as shipped (bin/netattach serve,
# JAVA_OPTS empty, pinned with taskset -c SERVER_CPU), in cluster mode (informer on all namespaces,
# a ServiceAccount kubeconfig) on the real kube-apiserver of the end-to-end suite (../shared/k8s, etcd
# from Debian), with SCALE_NADS NADs in the cluster. For each size: the creation time (concurrent creates,
# reported separately), the time from the process start to readiness (the informer synced; readiness must
# report exactly that many NADs), one NAD review and two pod validation reviews right after (a catalog NAD
# allowed, an absent one denied), 2,000 pod mutation reviews, then the live heap after a full GC (jcmd
# GC.run + GC.heap_info, as MODE=scale bench/webhook-load.sh measures the directory catalog), RSS and peak
# RSS, and each against the previous size per 1,000 additional NADs. Runs io.netattach.e2e.InformerScaleBench
# (test scope, not part of ./mvnw verify). See docs/performance.md, section "Informer catalog at scale".
#
# Environment: SCALE_NADS ("1000 10000 50000 100000", ascending; each size adds NADs to the previous),
# PER_NAMESPACE (100 NADs per namespace), CONCURRENCY (32 creates in flight), SERVER_CPU (0),
# TIME_BUDGET (seconds; 0 = none: sizes that would start after it are skipped and said so), JAVA_HOME
# (Temurin 25), PACKAGE=1 to force `./mvnw package`. Report: bench/out/informer-scale-<timestamp>.txt, the
# webhook logs and class histograms beside it (bench/out/informer-scale-<size>.*).
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
SCALE_NADS="${SCALE_NADS:-1000 10000 50000 100000}"
mkdir -p bench/out
REPORT="bench/out/informer-scale-$(date +%Y%m%d-%H%M%S).txt"

command -v taskset >/dev/null || { echo "bench: taskset is needed (Debian: apt-get install util-linux)" >&2; exit 2; }
if [ "${PACKAGE:-0}" = 1 ] || [ ! -f target/quarkus-app/quarkus-run.jar ] \
    || [ ! -f target/test-classes/io/netattach/e2e/InformerScaleBench.class ]; then
  echo "bench: packaging (./mvnw -B -q package -DskipTests)"
  ./mvnw -B -q package -DskipTests
fi
[ -f target/quarkus-app/app.aot ] || echo "bench: WARNING no AOT cache target/quarkus-app/app.aot (packaged with -Daot.skip?)" >&2
if [ ! -s target/bench-classpath.txt ] || [ pom.xml -nt target/bench-classpath.txt ]; then
  ./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
fi

# kube-api-test reads its directory only from the environment (as the failsafe configuration sets it)
export KUBE_API_TEST_DIR="$PWD/target/k8s"
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
  -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -Dbench.sizes="$SCALE_NADS" -Dbench.perNamespace="${PER_NAMESPACE:-100}" -Dbench.concurrency="${CONCURRENCY:-32}" \
  -Dbench.serverCpu="${SERVER_CPU:-0}" -Dbench.timeBudgetSeconds="${TIME_BUDGET:-0}" -Dbench.report="$REPORT" \
  -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  io.netattach.e2e.InformerScaleBench
echo "report: $REPORT"
