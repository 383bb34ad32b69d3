#!/usr/bin/env bash
# Load benchmark of the admission webhook: the packaged server pinned to one CPU, wrk pinned to the
# other, HTTPS keep-alive, a realistic AdmissionReview as the Kubernetes API server sends it.
#
#   bench/webhook-load.sh                      # every payload in PAYLOADS below
#   bench/webhook-load.sh nad                  # only the payloads named
#
# For each payload: a curl sanity check (HTTP 200 AdmissionReview with the expected verdict), a
# warm-up, then 16 connections and 1 connection; prints requests/s, p50/p90/p99, the server's CPU
# time per review (user+system from /proc: the capacity of one core, even on a busy machine) and the
# RSS of the server after the runs. Targets (2-core machine): 16 connections >= 8,000 reviews/s with p99 < 5 ms;
# 1 connection p50 < 0.3 ms; RSS < 200 MB.
#
# Pod payloads run against a standalone catalog of CATALOG_NADS (1000) NADs in CATALOG_NAMESPACES (100)
# namespaces, 10 selecting the pod: pod-mutate injects 10 networks, pod-validate looks 10 NADs up.
# Environment: JAVA_HOME (Temurin 25), DURATION (10s), WARMUP (10s), PORT (18443), SERVER_CPU (0),
# CLIENT_CPU (1), JVM_OPTS (see below), PACKAGE=1 to force `./mvnw package`.
# Results also go to bench/out/webhook-load-<timestamp>.txt.
set -euo pipefail
cd "$(dirname "$0")/.."

# NAME|HTTP path|review file|expected "allowed" value. Add a line per payload (e.g. a pod review).
PAYLOADS=(
  "nad|/validate/network-attachment-definitions|src/test/resources/admission/reviews/nad-create-management-net.json|true"
  "pod-mutate|/mutate/pods|src/test/resources/admission/reviews/pod-create-chain-test.json|true"
  "pod-validate|/validate/pods|bench/out/pod-validate-review.json|true"
)

export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
DURATION="${DURATION:-10s}"
WARMUP="${WARMUP:-10s}"
PORT="${PORT:-18443}"
SERVER_CPU="${SERVER_CPU:-0}"
CLIENT_CPU="${CLIENT_CPU:-1}"
# One core: one event loop, serial GC (young collections of a few hundred microseconds: the live set
# is ~20 MB), a small fixed heap with compact object headers, glibc limited to two malloc arenas
# (MALLOC_ARENA_MAX below); C2 stays on for peak throughput.
JVM_OPTS="${JVM_OPTS:--XX:+UseSerialGC -Xms48m -Xmx48m -XX:+UseCompactObjectHeaders -XX:-UsePerfData -XX:ReservedCodeCacheSize=48m -Xss512k -Dquarkus.vertx.event-loops-pool-size=1 -Dquarkus.thread-pool.max-threads=4}"
JAR=target/quarkus-app/quarkus-run.jar
OUT=bench/out
mkdir -p "$OUT"
REPORT="$OUT/webhook-load-$(date +%Y%m%d-%H%M%S).txt"

for tool in wrk taskset curl python3; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is needed (Debian: apt-get install wrk util-linux curl python3)" >&2; exit 2; }
done

if [ "${PACKAGE:-0}" = 1 ] || [ ! -f "$JAR" ] || [ -n "$(find src/main pom.xml -newer "$JAR" -print -quit)" ]; then
  echo "bench: packaging (./mvnw -B -q package -DskipTests)"
  ./mvnw -B -q package -DskipTests
fi

# The pods' NAD catalog (standalone directory): CATALOG_NADS NADs across CATALOG_NAMESPACES namespaces,
# 10 of them selecting the pod of the pod reviews; and the /validate/pods review (the pod as
# /mutate/pods returns it, 10 networks). See bench/pod-catalog.py.
CATALOG_DIR="$OUT/catalog"
python3 bench/pod-catalog.py "$CATALOG_DIR" src/test/resources/admission/reviews/pod-create-chain-test.json \
  "$OUT/pod-validate-review.json" "${CATALOG_NADS:-1000}" "${CATALOG_NAMESPACES:-100}"

# Only the payloads named on the command line, if any.
selected=()
for p in "${PAYLOADS[@]}"; do
  name="${p%%|*}"
  if [ $# -eq 0 ] || printf '%s\n' "$@" | grep -qx "$name"; then selected+=("$p"); fi
done
[ ${#selected[@]} -gt 0 ] || { echo "bench: no payload named $* (known: ${PAYLOADS[*]%%|*})" >&2; exit 2; }

# shellcheck source=bench/lib.sh
. bench/lib.sh
start_server bench "$OUT/webhook-server.log" -Dnetattach.catalog.directory="$CATALOG_DIR"

{
  echo "webhook load benchmark, $(date -u +%FT%TZ), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "server: taskset -c $SERVER_CPU java $JVM_OPTS (pid $SERVER_PID); client: taskset -c $CLIENT_CPU wrk -t1, HTTPS keep-alive"
} | tee "$REPORT"

run_wrk() { # connections duration body-file path
  WRK_BODY_FILE="$3" taskset -c "$CLIENT_CPU" wrk -t1 -c"$1" -d"$2" --timeout 5s -s bench/webhook-post.lua \
    "https://localhost:$PORT$4" | grep '^RESULT'
}

cpu_ticks() { # user+system clock ticks of the server so far
  awk '{print $14 + $15}' "/proc/$SERVER_PID/stat"
}
TICK_US=$((1000000 / $(getconf CLK_TCK)))

field() { # RESULT-line key
  sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1"
}

for p in "${selected[@]}"; do
  IFS='|' read -r name path file expected <<<"$p"
  body="$OUT/$name.json"
  python3 -c 'import json,sys; json.dump(json.load(open(sys.argv[1])), open(sys.argv[2],"w"), separators=(",",":"))' "$file" "$body"
  answer=$(curl -sk -H 'Content-Type: application/json' --data-binary "@$body" "https://localhost:$PORT$path")
  allowed=$(python3 -c 'import json,sys; r=json.loads(sys.argv[1]); print(str(r["response"]["allowed"]).lower())' "$answer" 2>/dev/null || echo "?")
  if [ "$allowed" != "$expected" ]; then
    echo "bench: $name: expected allowed=$expected, got: $answer" >&2
    exit 1
  fi
  if [ "$name" = pod-mutate ]; then # the answer must carry the patch adding the 10 networks
    python3 -c 'import base64,json,sys; p=json.loads(base64.b64decode(json.loads(sys.argv[1])["response"]["patch"])); n=json.loads(p[0]["value"]); assert len(n)==10, n' "$answer" \
      || { echo "bench: $name: expected a patch adding 10 networks, got: $answer" >&2; exit 1; }
  fi
  echo "payload $name: POST $path, $(wc -c <"$body") bytes, allowed=$allowed" | tee -a "$REPORT"
  run_wrk 16 "$WARMUP" "$body" "$path" >/dev/null
  run_wrk 1 3s "$body" "$path" >/dev/null
  for c in 16 1; do
    t0=$(cpu_ticks)
    r=$(run_wrk "$c" "$DURATION" "$body" "$path")
    cpu_us=$(( ($(cpu_ticks) - t0) * TICK_US / ($(field "$r" requests) + 1) ))
    printf '  %2d connection(s): %7s reviews/s  p50 %6.3f ms  p90 %6.3f ms  p99 %6.3f ms  max %7.3f ms  server CPU %4d us/review  errors %s/%s\n' \
      "$c" "$(field "$r" rps)" \
      "$(awk -v u="$(field "$r" p50_us)" 'BEGIN{print u/1000}')" \
      "$(awk -v u="$(field "$r" p90_us)" 'BEGIN{print u/1000}')" \
      "$(awk -v u="$(field "$r" p99_us)" 'BEGIN{print u/1000}')" \
      "$(awk -v u="$(field "$r" max_us)" 'BEGIN{print u/1000}')" "$cpu_us" \
      "$(field "$r" socket_errors)" "$(field "$r" non2xx)" | tee -a "$REPORT"
  done
done

rss_kb=$(awk '/^VmRSS/ {print $2}' "/proc/$SERVER_PID/status")
hwm_kb=$(awk '/^VmHWM/ {print $2}' "/proc/$SERVER_PID/status")
printf 'server RSS after the runs: %d MB (peak %d MB)\n' $((rss_kb / 1024)) $((hwm_kb / 1024)) | tee -a "$REPORT"
echo "report: $REPORT"
