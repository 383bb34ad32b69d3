#!/usr/bin/env bash
# Load benchmark of the admission webhook: the packaged server pinned to one CPU, wrk pinned to the
# other, HTTPS keep-alive, a realistic AdmissionReview as the Kubernetes API server sends it.
#
#   bench/webhook-load.sh                      # every payload in PAYLOADS below
#   bench/webhook-load.sh nad                  # only the payloads named
#
# For each payload: a curl sanity check (HTTP 200 AdmissionReview with the expected verdict), a
# warm-up until the JIT has settled (below), then REPEAT (3) runs of 16 connections and one of 1
# connection, each of DURATION; prints requests/s, p50/p90/p99, the server's CPU
# time per review (user+system from /proc: the capacity of one core, even on a busy machine) and the
# RSS of the server after the runs. Targets (2-core machine): 16 connections >= 8,000 reviews/s with p99 < 5 ms;
# 1 connection p50 < 0.3 ms; RSS < 200 MB.
#
# Pod payloads run against a standalone catalog of CATALOG_NADS (1000) NADs in CATALOG_NAMESPACES (100)
# namespaces, 10 selecting the pod: pod-mutate injects 10 networks, pod-validate looks 10 NADs up.
# Warm-up: WARMUP (10s) at 16 connections, then rounds of WARMUP_ROUND (5s) until the JIT compiler
# threads used less than WARMUP_JIT_PERCENT (3) % of the server's CPU in a round, WARMUP_MAX (120) s in all;
# steady state is what these figures are about (the cold start is MODE=shipped).
# Environment: JAVA_HOME (Temurin 25), DURATION (10s), WARMUP (10s), PORT (18443), SERVER_CPU (0),
# CLIENT_CPU (1), JVM_OPTS (added after bin/netattach's options; empty), PACKAGE=1 to force `./mvnw package`.
#
# MODE=shipped|rss|scale bench/webhook-load.sh: the server exactly as shipped from a cold start against
# the Go controller, RSS under 10 minutes of load, catalog scale (bench/webhook-shipped.sh).
# Results also go to bench/out/webhook-load-<timestamp>.txt.
#
# Certificate rotation under load (ROTATE=1 bench/webhook-load.sh [PAYLOAD], default payload nad):
# the server serves certificate files laid out as a Kubernetes Secret volume does (tls.crt ->
# ..data/tls.crt, ..data -> ..gen-N), re-read every RELOAD_PERIOD (1s). Every ROTATE_EVERY (3s) a new
# pair, alternately ECDSA P-256 (SEC1 key) and RSA 2048 (PKCS#1 key) made with openssl, is swapped in
# by one rename of ..data, while two wrk clients run for ROTATE_DURATION (30s): 8 keep-alive
# connections, and 8 connections sending "Connection: close" (wrk reconnects: a new TLS handshake per
# review). Prints each client's reviews and errors (connect/read/write/timeout/non-2xx), the rotations
# done and logged by the server, and whether the last pair is the one served; exits 1 on any failure.
# ROTATE=registry: the same, with the files given to the Quarkus TLS registry directly (its own
# reload, which rebuilds the server's SSL context on every period): the comparison figure.
set -euo pipefail
cd "$(dirname "$0")/.."

# The server exactly as shipped, from a cold start, against the Go controller; RSS under load; catalog
# scale: see bench/webhook-shipped.sh.
case "${MODE:-load}" in
  shipped | rss | scale) exec bench/webhook-shipped.sh "$@" ;;
esac

# NAME|HTTP path|review file|expected "allowed" value. Add a line per payload (e.g. a pod review).
PAYLOADS=(
  "nad|/validate/network-attachment-definitions|src/test/resources/admission/reviews/nad-create-management-net.json|true"
  "pod-mutate|/mutate/pods|src/test/resources/admission/reviews/pod-create-chain-test.json|true"
  "pod-validate|/validate/pods|bench/out/pod-validate-review.json|true"
)

export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
DURATION="${DURATION:-10s}"
WARMUP="${WARMUP:-10s}"
WARMUP_ROUND="${WARMUP_ROUND:-5s}"
WARMUP_MAX="${WARMUP_MAX:-120}"
WARMUP_JIT_PERCENT="${WARMUP_JIT_PERCENT:-3}"
REPEAT="${REPEAT:-3}"
PORT="${PORT:-18443}"
SERVER_CPU="${SERVER_CPU:-0}"
CLIENT_CPU="${CLIENT_CPU:-1}"
# The server runs with the one launch configuration of bin/netattach (JVM options and AOT cache);
# JVM_OPTS (empty by default) adds options after them, for experiments only.
JVM_OPTS="${JVM_OPTS:-}"
JAR=target/quarkus-app/quarkus-run.jar
OUT=bench/out
mkdir -p "$OUT"
REPORT="$OUT/webhook-load-$(date +%Y%m%d-%H%M%S).txt"

ROTATE="${ROTATE:-0}"
RELOAD_PERIOD="${RELOAD_PERIOD:-1s}"
ROTATE_EVERY="${ROTATE_EVERY:-3}"
ROTATE_DURATION="${ROTATE_DURATION:-30}"
tools="wrk taskset curl python3"
[ "$ROTATE" != 0 ] && tools="$tools openssl"
for tool in $tools; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is needed (Debian: apt-get install wrk util-linux curl python3 openssl)" >&2; exit 2; }
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
[ "$ROTATE" != 0 ] && [ $# -eq 0 ] && set -- nad
for p in "${PAYLOADS[@]}"; do
  name="${p%%|*}"
  if [ $# -eq 0 ] || printf '%s\n' "$@" | grep -qx "$name"; then selected+=("$p"); fi
done
[ ${#selected[@]} -gt 0 ] || { echo "bench: no payload named $* (known: ${PAYLOADS[*]%%|*})" >&2; exit 2; }

TLS_DIR="$OUT/tls-rotate"
new_pair() { # GENERATION: $TLS_DIR/..gen-N/tls.{crt,key}, ECDSA P-256 SEC1 key (even N) or RSA 2048 PKCS#1 key (odd N)
  local d="$TLS_DIR/..gen-$1"
  mkdir -p "$d"
  if [ $(($1 % 2)) = 0 ]; then
    openssl ecparam -name prime256v1 -genkey -noout -out "$d/tls.key" 2>/dev/null
  else
    openssl genrsa -traditional -out "$d/tls.key" 2048 2>/dev/null
  fi
  openssl req -x509 -key "$d/tls.key" -out "$d/tls.crt" -subj "/CN=localhost generation $1" -days 1 \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" 2>/dev/null
}
fingerprint() { # PEM file or - (stdin): SHA-256 fingerprint of the certificate
  openssl x509 -noout -fingerprint -sha256 ${1:+-in "$1"} 2>/dev/null | cut -d= -f2
}
server_opts=(-Dnetattach.catalog.directory="$CATALOG_DIR")
if [ "$ROTATE" != 0 ]; then
  rm -rf "$TLS_DIR"
  mkdir -p "$TLS_DIR"
  new_pair 0
  ln -s ..gen-0 "$TLS_DIR/..data"
  ln -s ..data/tls.crt "$TLS_DIR/tls.crt"
  ln -s ..data/tls.key "$TLS_DIR/tls.key"
  server_opts+=('-Dquarkus.log.category."io.netattach.admission.tls".level=INFO')
  if [ "$ROTATE" = registry ]; then
    server_opts+=(-Dquarkus.tls.key-store.pem.0.cert="$TLS_DIR/tls.crt" -Dquarkus.tls.key-store.pem.0.key="$TLS_DIR/tls.key"
      -Dquarkus.tls.reload-period="$RELOAD_PERIOD")
  else
    server_opts+=(-Dnetattach.tls.cert="$TLS_DIR/tls.crt" -Dnetattach.tls.key="$TLS_DIR/tls.key"
      -Dnetattach.tls.reload-period="$RELOAD_PERIOD")
  fi
fi

# shellcheck source=bench/lib.sh
. bench/lib.sh
start_server bench "$OUT/webhook-server.log" "${server_opts[@]}"

{
  echo "webhook load benchmark, $(date -u +%FT%TZ), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "server: taskset -c $SERVER_CPU bin/netattach serve, JAVA_OPTS=${JVM_OPTS:-(none)} (pid $SERVER_PID); client: taskset -c $CLIENT_CPU wrk -t1, HTTPS keep-alive"
  [ "$ROTATE" = 0 ] || echo "certificate rotation: served by $([ "$ROTATE" = registry ] && echo "the Quarkus TLS registry (its own reload)" || echo "the swapping key manager")"
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

errors_of() { # RESULT line: "connect N read N write N timeout N non-2xx N"
  echo "connect $(field "$1" connect) read $(field "$1" read) write $(field "$1" write)" \
    "timeout $(field "$1" timeout) non-2xx $(field "$1" non2xx)"
}

rotation_run() { # body-file path: wrk keep-alive and wrk new-connection clients while the pair rotates
  local body="$1" path="$2" gen=0 failed=0 end
  warn_before=$(grep -c 'keeping the served certificate' "$OUT/webhook-server.log" || true)
  rotated_before=$(grep -c 'TLS certificate rotated' "$OUT/webhook-server.log" || true)
  WRK_BODY_FILE="$body" taskset -c "$CLIENT_CPU" wrk -t1 -c8 -d"${ROTATE_DURATION}s" --timeout 5s \
    -s bench/webhook-post.lua "https://localhost:$PORT$path" >"$OUT/rotate-keepalive.txt" 2>&1 &
  local keepalive=$!
  WRK_BODY_FILE="$body" taskset -c "$CLIENT_CPU" wrk -t1 -c8 -d"${ROTATE_DURATION}s" --timeout 5s -H 'Connection: close' \
    -s bench/webhook-post.lua "https://localhost:$PORT$path" >"$OUT/rotate-newconn.txt" 2>&1 &
  local newconn=$!
  end=$((SECONDS + ROTATE_DURATION - ROTATE_EVERY))
  while [ "$SECONDS" -lt "$end" ]; do
    sleep "$ROTATE_EVERY"
    gen=$((gen + 1))
    new_pair "$gen"
    ln -sfn "..gen-$gen" "$TLS_DIR/..data_tmp"
    mv -T "$TLS_DIR/..data_tmp" "$TLS_DIR/..data" # one rename: the Secret volume's atomic swap
  done
  wait "$keepalive" "$newconn" || true
  local want served=""
  want=$(fingerprint "$TLS_DIR/..gen-$gen/tls.crt")
  for _ in $(seq 1 20); do # the last pair is served within a reload period
    served=$(openssl s_client -connect "localhost:$PORT" -servername localhost </dev/null 2>/dev/null | fingerprint)
    [ "$served" = "$want" ] && break
    sleep 0.5
  done
  local rotated warned
  rotated=$(($(grep -c 'TLS certificate rotated' "$OUT/webhook-server.log" || true) - rotated_before))
  warned=$(($(grep -c 'keeping the served certificate' "$OUT/webhook-server.log" || true) - warn_before))
  echo "  certificate rotated $gen times, every ${ROTATE_EVERY}s (ECDSA P-256 SEC1 / RSA 2048 PKCS#1 alternately)," \
    "reload period $RELOAD_PERIOD, ${ROTATE_DURATION}s of load" | tee -a "$REPORT"
  local client file r
  for client in keepalive newconn; do
    file="$OUT/rotate-$client.txt"
    r=$(grep '^RESULT' "$file" || true)
    if [ -z "$r" ]; then
      echo "bench: wrk ($client) printed no result:" >&2
      cat "$file" >&2
      failed=1
      continue
    fi
    printf '  %-38s %7s reviews (%5s/s)  p99 %7.3f ms  errors: %s\n' \
      "$([ $client = keepalive ] && echo "8 keep-alive connections:" || echo "8 connections, new TLS one per review:")" \
      "$(field "$r" requests)" "$(field "$r" rps)" "$(awk -v u="$(field "$r" p99_us)" 'BEGIN{print u/1000}')" \
      "$(errors_of "$r")" | tee -a "$REPORT"
    [ "$(field "$r" socket_errors)" = 0 ] && [ "$(field "$r" non2xx)" = 0 ] || failed=1
  done
  echo "  server log: $rotated rotations, $warned rejected pairs; last pair served: $([ "$served" = "$want" ] && echo yes || echo "NO ($served, want $want)")" \
    | tee -a "$REPORT"
  [ "$served" = "$want" ] && [ "$rotated" = "$gen" ] || failed=1
  if [ "$failed" != 0 ]; then
    echo "bench: certificate rotation under load FAILED (see above and $OUT/webhook-server.log)" | tee -a "$REPORT" >&2
    ROTATION_FAILED=1
  fi
}

compiler_ticks() { # user+system clock ticks of the server's JIT compiler threads so far
  cat /proc/"$SERVER_PID"/task/*/stat 2>/dev/null | awk '/\((C1|C2) CompilerThre\)/ {t += $(NF-38) + $(NF-37)} END {print t + 0}'
}

# warm_up BODY PATH: 16 connections for WARMUP, then rounds of WARMUP_ROUND until the JIT compilers took
# less than WARMUP_JIT_PERCENT of the server's CPU in a round (their compilations compete with the
# event loop for the one CPU, and every new set of connections recompiles some hot paths), at most WARMUP_MAX.
warm_up() {
  local start=$SECONDS t0 c0 t1 c1 share=100
  run_wrk 16 "$WARMUP" "$1" "$2" >/dev/null
  while [ $((SECONDS - start)) -lt "$WARMUP_MAX" ]; do
    t0=$(cpu_ticks)
    c0=$(compiler_ticks)
    run_wrk 16 "$WARMUP_ROUND" "$1" "$2" >/dev/null
    t1=$(cpu_ticks)
    c1=$(compiler_ticks)
    share=$(( (c1 - c0) * 100 / (t1 - t0 + 1) ))
    [ "$share" -lt "$WARMUP_JIT_PERCENT" ] && break
  done
  echo "  warm-up: $((SECONDS - start)) s at 16 connections; JIT compilers at ${share} % of the server's CPU in the last ${WARMUP_ROUND}" \
    "(target below ${WARMUP_JIT_PERCENT} %$([ "$share" -ge "$WARMUP_JIT_PERCENT" ] && echo ", not reached within WARMUP_MAX=${WARMUP_MAX}s"))" | tee -a "$REPORT"
}

ROTATION_FAILED=0
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
  if [ "$ROTATE" != 0 ]; then
    rotation_run "$body" "$path"
    continue
  fi
  warm_up "$body" "$path"
  run_wrk 1 3s "$body" "$path" >/dev/null
  for c in $(printf '16 %.0s' $(seq 1 "$REPEAT")) 1; do
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
exit "$ROTATION_FAILED"
