#!/usr/bin/env bash
# Soak benchmark of the admission webhook: the packaged server pinned to one CPU (started by
# bin/netattach, the one launch configuration, as bench/webhook-load.sh), a fixed-rate load client pinned to the
# other, mixed NAD and pod reviews (validate NAD 1/2, validate pod 1/4, mutate pod 1/4) for
# SOAK_SECONDS, well below saturation (webhook-load.sh: ~8,000 reviews/s on one core).
#
#   bench/soak.sh                                   # 10 minutes at 300 reviews/s, a line per minute
#   SOAK_SECONDS=60 SOAK_INTERVAL=10 bench/soak.sh  # a quick check
#
# Prints per interval: requests, rate, p50/p90/p99/max latency (measured from each request's due time,
# so stalls count), errors, server RSS; then "VERDICT: stable|latency grew|memory grew|errors"
# comparing the first and last interval (exit 0 only when stable with zero errors).
#
# Environment: JAVA_HOME, SOAK_SECONDS (600), SOAK_INTERVAL (60), RATE (300), WARMUP (30, ramped, not
# reported), PORT (18444),
# SERVER_CPU (0), CLIENT_CPU (1), JVM_OPTS, PACKAGE=1 to force `./mvnw package`.
# Report also in bench/out/soak-<timestamp>.txt.
set -euo pipefail
cd "$(dirname "$0")/.."

export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
SOAK_SECONDS="${SOAK_SECONDS:-600}"
SOAK_INTERVAL="${SOAK_INTERVAL:-60}"
RATE="${RATE:-300}"
WARMUP="${WARMUP:-30}"
PORT="${PORT:-18444}"
SERVER_CPU="${SERVER_CPU:-0}"
CLIENT_CPU="${CLIENT_CPU:-1}"
JVM_OPTS="${JVM_OPTS:-}" # added after the options of bin/netattach (the one launch configuration)
JAR=target/quarkus-app/quarkus-run.jar
OUT=bench/out
mkdir -p "$OUT"
REPORT="$OUT/soak-$(date +%Y%m%d-%H%M%S).txt"

for tool in taskset curl; do
  command -v "$tool" >/dev/null || { echo "soak: $tool is needed (Debian: apt-get install util-linux curl)" >&2; exit 2; }
done
if [ "${PACKAGE:-0}" = 1 ] || [ ! -f "$JAR" ] || [ -n "$(find src/main pom.xml -newer "$JAR" -print -quit)" ]; then
  echo "soak: packaging (./mvnw -B -q package -DskipTests)"
  ./mvnw -B -q package -DskipTests
fi

# Standalone mode: NADs from deploy/examples (the pod review's namespace chain-example has both seed NADs).
# shellcheck source=bench/lib.sh
. bench/lib.sh
start_server soak "$OUT/soak-server.log" -Dquarkus.http.port=0

{
  echo "soak benchmark, $(date -u +%FT%TZ), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "server: taskset -c $SERVER_CPU bin/netattach serve, JAVA_OPTS=${JVM_OPTS:-(none)} (pid $SERVER_PID); client: taskset -c $CLIENT_CPU bench/SoakClient.java"
} | tee "$REPORT"

set +e
taskset -c "$CLIENT_CPU" "$JAVA_HOME/bin/java" -XX:+UseSerialGC -Xmx256m bench/SoakClient.java "https://localhost:$PORT" "$RATE" \
  "$SOAK_SECONDS" "$SOAK_INTERVAL" "$SERVER_PID" src/test/resources/admission/reviews/nad-create-management-net.json \
  src/test/resources/admission/reviews/pod-create-chain-test.json "$WARMUP" | tee -a "$REPORT"
status=${PIPESTATUS[0]}
set -e
echo "report: $REPORT"
exit "$status"
