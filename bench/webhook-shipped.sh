#!/usr/bin/env bash
# The webhook exactly as shipped: started by bin/netattach (the one launch configuration, nothing
# added: JAVA_OPTS is emptied), from a cold start, pinned to one CPU (taskset -c SERVER_CPU, like a
# container with a 1-CPU limit), 16 HTTPS keep-alive connections from wrk pinned to CLIENT_CPU.
# Run through bench/webhook-load.sh (MODE=shipped|rss|scale), or directly.
#
#   MODE=shipped bench/webhook-load.sh   cold start of the Go net-attach-def-admission-controller
#                                        (../shared/peers, the reference), of netattach with its AOT
#                                        cache and of netattach without it (NETATTACH_AOT=off), one after
#                                        the other in the same run, same certificate, same NAD review:
#                                        time to ready (first HTTP 200 on a review, from the process
#                                        start), reviews/s in each of the first COLD_SECONDS (30) seconds,
#                                        time to peak (first second at >= 90 % of the steady state), from
#                                        5 s after the start to COLD_SECONDS: reviews/s and p99, then the
#                                        steady state (DURATION, 10 s): reviews/s and p99; RSS; and the
#                                        ratios netattach / Go.
#   MODE=rss bench/webhook-load.sh       RSS of the shipped server under full load (NAD, pod mutation and
#                                        pod validation reviews in turn) with CATALOG_NADS (1000) NADs, one
#                                        line per minute for RSS_MINUTES (10).
#   MODE=scale bench/webhook-load.sh     directory catalog of SCALE_NADS (1000 10000 50000 100000) NADs:
#                                        time to ready, live heap (after a full GC, jcmd), RSS, each
#                                        against the previous size per 1,000 additional NADs.
#
# Environment: JAVA_HOME (Temurin 25), PORT (18443), GO_PORT (18446), SERVER_CPU (0), CLIENT_CPU (1),
# COLD_SECONDS (30), DURATION (10s), ROUNDS (1: cold starts of each server), PEERS (../shared/peers,
# else /work/shared/peers). Reports in bench/out/webhook-<mode>-<timestamp>.txt.
set -euo pipefail
cd "$(dirname "$0")/.."

export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
MODE="${MODE:-shipped}"
PORT="${PORT:-18443}"
GO_PORT="${GO_PORT:-18446}"
SERVER_CPU="${SERVER_CPU:-0}"
CLIENT_CPU="${CLIENT_CPU:-1}"
COLD_SECONDS="${COLD_SECONDS:-30}"
DURATION="${DURATION:-10s}"
ROUNDS="${ROUNDS:-1}"
RSS_MINUTES="${RSS_MINUTES:-10}"
CATALOG_NADS="${CATALOG_NADS:-1000}"
SCALE_NADS="${SCALE_NADS:-1000 10000 50000 100000}"
OUT=bench/out
mkdir -p "$OUT"
REPORT="$OUT/webhook-$MODE-$(date +%Y%m%d-%H%M%S).txt"
JAR=target/quarkus-app/quarkus-run.jar
NAD_PATH=/validate/network-attachment-definitions

for tool in wrk taskset curl python3 openssl; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is needed (Debian: apt-get install wrk util-linux curl python3 openssl)" >&2; exit 2; }
done
if [ "${PACKAGE:-0}" = 1 ] || [ ! -f "$JAR" ] || [ -n "$(find src/main pom.xml bin -newer "$JAR" -print -quit)" ]; then
  echo "bench: packaging (./mvnw -B -q package -DskipTests: the jar and its AOT cache)"
  ./mvnw -B -q package -DskipTests
fi
[ -f target/quarkus-app/app.aot ] || echo "bench: WARNING no AOT cache target/quarkus-app/app.aot (packaged with -Daot.skip?)" >&2

ms() { date +%s%3N; }
rss_mb() { awk '/^VmRSS/ {printf "%d", $2 / 1024}' "/proc/$1/status"; }
say() { echo "$*" | tee -a "$REPORT"; }

# One certificate for both servers (ECDSA P-256, what cert-manager issues by default).
TLS="$OUT/shipped-tls"
mkdir -p "$TLS"
if [ ! -f "$TLS/tls.crt" ]; then
  openssl ecparam -name prime256v1 -genkey -noout -out "$TLS/tls.key" 2>/dev/null
  openssl req -x509 -key "$TLS/tls.key" -out "$TLS/tls.crt" -subj "/CN=localhost" -days 30 \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" 2>/dev/null
fi

# Catalog of CATALOG_NADS NADs (bench/pod-catalog.py) and the payloads.
catalog() { # NADS DIR
  python3 bench/pod-catalog.py "$2" src/test/resources/admission/reviews/pod-create-chain-test.json \
    "$OUT/pod-validate-review.json" "$1" "${CATALOG_NAMESPACES:-100}"
}
compact() { python3 -c 'import json,sys; json.dump(json.load(open(sys.argv[1])), open(sys.argv[2],"w"), separators=(",",":"))' "$1" "$2"; }
CATALOG_DIR="$OUT/catalog"
catalog "$CATALOG_NADS" "$CATALOG_DIR"
compact src/test/resources/admission/reviews/nad-create-management-net.json "$OUT/nad.json"
compact src/test/resources/admission/reviews/pod-create-chain-test.json "$OUT/pod-mutate.json"
compact "$OUT/pod-validate-review.json" "$OUT/pod-validate.json"

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

# start_netattach LOG CATALOG_DIR [AOT on|off]: the shipped launcher, configured by environment only
# (port, certificate, standalone catalog: what a Deployment sets), pinned; sets SERVER_PID and T0.
start_netattach() {
  T0=$(ms)
  JAVA_OPTS="" NETATTACH_AOT="${3:-on}" QUARKUS_HTTP_SSL_PORT="$PORT" NETATTACH_TLS_CERT="$TLS/tls.crt" \
    NETATTACH_TLS_KEY="$TLS/tls.key" NETATTACH_CATALOG_MODE=directory NETATTACH_CATALOG_DIRECTORY="$2" \
    taskset -c "$SERVER_CPU" bin/netattach serve >"$1" 2>&1 &
  SERVER_PID=$!
  PIDS+=("$SERVER_PID")
}

GO_BIN=target/peers/nad-admission-webhook
start_go() { # LOG: the upstream Go webhook (it ignores SIGTERM: stopped with SIGKILL)
  if [ ! -x "$GO_BIN" ]; then
    local peers="${PEERS:-../shared/peers}"
    [ -f "$peers/nad-admission-webhook.gz" ] || peers=/work/shared/peers
    mkdir -p target/peers
    gunzip -c "$peers/nad-admission-webhook.gz" >"$GO_BIN"
    chmod +x "$GO_BIN"
  fi
  cat >target/peers/kubeconfig <<'KC'
apiVersion: v1
kind: Config
clusters: [{name: none, cluster: {server: "https://127.0.0.1:1", insecure-skip-tls-verify: true}}]
users: [{name: none, user: {token: none}}]
contexts: [{name: none, context: {cluster: none, user: none}}]
current-context: none
KC
  T0=$(ms)
  KUBECONFIG=target/peers/kubeconfig taskset -c "$SERVER_CPU" "$GO_BIN" -port "$GO_PORT" -bind-address 127.0.0.1 \
    -metrics-listen-address 127.0.0.1:19091 -tls-cert-file "$TLS/tls.crt" -tls-private-key-file "$TLS/tls.key" \
    -logtostderr >"$1" 2>&1 &
  SERVER_PID=$!
  PIDS+=("$SERVER_PID")
}

stop() { kill "$SERVER_PID" 2>/dev/null || true; sleep 0.5; kill -9 "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; }

# wait_ready URL BODY LOG: polls the review every 10 ms until HTTP 200; prints ms since T0.
wait_ready() {
  for _ in $(seq 1 12000); do
    if [ "$(curl -sk -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' --data-binary "@$2" "$1" 2>/dev/null)" = 200 ]; then
      echo $(($(ms) - T0))
      return 0
    fi
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "bench: server died:" >&2; cat "$3" >&2; exit 1; }
    sleep 0.01
  done
  echo "bench: server not ready after 120 s" >&2
  cat "$3" >&2
  exit 1
}

wrk_run() { # URL BODY DURATION_SECONDS [T0_MS]: RESULT (and TIMELINE) lines
  T0_MS="${4:-}" WRK_BODY_FILE="$2" taskset -c "$CLIENT_CPU" wrk -t1 -c16 -d"${3}s" --timeout 5s \
    -s bench/webhook-post.lua "$1" | grep -E '^(RESULT|TIMELINE)'
}

field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1" | head -1; }

# cold NAME URL: one cold start measured; writes $OUT/cold-NAME.txt (key=value lines)
cold() {
  local name="$1" url="$2" log="$OUT/cold-$1.log" ready now rest r1 r2 r3 rss
  ready=$(wait_ready "$url" "$OUT/nad.json" "$log")
  now=$(($(ms) - T0))
  # from ready to 5 s after the start, then to COLD_SECONDS, then the steady state
  # (wrk takes whole seconds: the second phase starts at most 1 s before the 5th second, never after)
  r1=""
  if [ "$now" -lt 4000 ]; then
    r1=$(wrk_run "$url" "$OUT/nad.json" $(((5000 - now) / 1000)) "$T0")
  fi
  now=$(($(ms) - T0))
  rest=$((COLD_SECONDS - now / 1000))
  [ "$rest" -ge 1 ] || rest=1
  r2=$(wrk_run "$url" "$OUT/nad.json" "$rest" "$T0")
  r3=$(wrk_run "$url" "$OUT/nad.json" "${DURATION%s}")
  rss=$(rss_mb "$SERVER_PID")
  {
    echo "ready_ms=$ready"
    echo "after5_start_ms=$now"
    echo "timeline=$(printf '%s\n%s\n' "$r1" "$r2" | grep '^TIMELINE' | sed 's/^TIMELINE//' | tr '\n' ' ')"
    echo "after5_rps=$(field "$(grep RESULT <<<"$r2")" rps)"
    echo "after5_p99_us=$(field "$(grep RESULT <<<"$r2")" p99_us)"
    echo "after5_errors=$(field "$(grep RESULT <<<"$r2")" socket_errors)/$(field "$(grep RESULT <<<"$r2")" non2xx)"
    echo "steady_rps=$(field "$r3" rps)"
    echo "steady_p99_us=$(field "$r3" p99_us)"
    echo "steady_errors=$(field "$r3" socket_errors)/$(field "$r3" non2xx)"
    echo "rss_mb=$rss"
  } >"$OUT/cold-$name.txt"
}

header() {
  say "webhook $MODE benchmark, $(date -u +%FT%TZ), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  say "server: taskset -c $SERVER_CPU bin/netattach serve (JAVA_OPTS empty; AOT cache $([ -f target/quarkus-app/app.aot ] && echo present || echo absent)); client: taskset -c $CLIENT_CPU wrk -t1 -c16, HTTPS keep-alive"
}

case "$MODE" in
shipped)
  header
  say "reference: upstream Go net-attach-def-admission-controller ($GO_BIN), same CPU, certificate and NAD review, measured in this run"
  for round in $(seq 1 "$ROUNDS"); do
    start_go "$OUT/cold-go.log"; cold go "https://localhost:$GO_PORT/validate"; stop
    start_netattach "$OUT/cold-aot.log" "$CATALOG_DIR" on; cold aot "https://localhost:$PORT$NAD_PATH"; stop
    start_netattach "$OUT/cold-noaot.log" "$CATALOG_DIR" off; cold noaot "https://localhost:$PORT$NAD_PATH"; stop
    say "round $round of $ROUNDS, load average $(cut -d' ' -f1-3 /proc/loadavg)"
    python3 bench/webhook-shipped-report.py "$OUT/cold-go.txt" "$OUT/cold-aot.txt" "$OUT/cold-noaot.txt" "$COLD_SECONDS" | tee -a "$REPORT"
  done
  ;;
rss)
  header
  say "RSS under full load, $CATALOG_NADS NADs, NAD / pod mutation / pod validation reviews in turn, ${RSS_MINUTES} min"
  start_netattach "$OUT/rss-server.log" "$CATALOG_DIR" on
  ready=$(wait_ready "https://localhost:$PORT$NAD_PATH" "$OUT/nad.json" "$OUT/rss-server.log")
  say "ready after $ready ms, RSS $(rss_mb "$SERVER_PID") MB"
  end=$((SECONDS + RSS_MINUTES * 60))
  minute=0
  while [ "$SECONDS" -lt "$end" ]; do
    total=0
    for i in 1 2 3 4 5 6; do
      [ "$SECONDS" -lt "$end" ] || break
      case $((i % 3)) in 1) p=nad url=$NAD_PATH ;; 2) p=pod-mutate url=/mutate/pods ;; 0) p=pod-validate url=/validate/pods ;; esac
      r=$(wrk_run "https://localhost:$PORT$url" "$OUT/$p.json" 10 | grep RESULT)
      total=$((total + $(field "$r" requests)))
    done
    minute=$((minute + 1))
    say "$(printf 'minute %2d: %7d reviews, RSS %4d MB (peak %d MB)' "$minute" "$total" "$(rss_mb "$SERVER_PID")" \
      "$(awk '/^VmHWM/ {printf "%d", $2 / 1024}' "/proc/$SERVER_PID/status")")"
  done
  command -v jcmd >/dev/null || PATH="$JAVA_HOME/bin:$PATH"
  say "heap after the load: $(jcmd "$SERVER_PID" GC.heap_info 2>/dev/null | grep -E 'total|used' | head -3 | tr -s ' ' | tr '\n' ';')"
  stop
  ;;
scale)
  header
  say "directory catalog scale: NADs, time to ready, live heap after a full GC, RSS (idle, after 2,000 reviews)"
  PATH="$JAVA_HOME/bin:$PATH"
  prev=""
  for n in $SCALE_NADS; do
    dir="$OUT/catalog-$n"
    [ -d "$dir" ] && [ "$(cat "$dir/.nads" 2>/dev/null)" = "$n" ] || { rm -rf "$dir"; catalog "$n" "$dir"; echo "$n" >"$dir/.nads"; }
    start_netattach "$OUT/scale-server.log" "$dir" on
    ready=$(wait_ready "https://localhost:$PORT/validate/pods" "$OUT/pod-validate.json" "$OUT/scale-server.log")
    wrk_run "https://localhost:$PORT/mutate/pods" "$OUT/pod-mutate.json" 2 >/dev/null
    jcmd "$SERVER_PID" GC.run >/dev/null
    heap_kb=$(jcmd "$SERVER_PID" GC.heap_info | awk '/^ *(DefNew|Tenured|def new generation|tenured generation)/ {for (i=1;i<=NF;i++) if ($i=="used") {v=$(i+1); sub("K,?","",v); s+=v}} END {print s + 0}')
    rss=$(rss_mb "$SERVER_PID")
    line=$(printf '%7d NADs: ready %6d ms, live heap %6.1f MB, RSS %5d MB' "$n" "$ready" "$(awk -v k="$heap_kb" 'BEGIN{print k/1024}')" "$rss")
    if [ -n "$prev" ]; then
      read -r pn pheap prss <<<"$prev"
      line="$line; per additional 1,000 NADs: heap $(awk -v a="$heap_kb" -v b="$pheap" -v n="$n" -v m="$pn" 'BEGIN{printf "%.2f", (a-b)/1024/((n-m)/1000)}') MB, RSS $(awk -v a="$rss" -v b="$prss" -v n="$n" -v m="$pn" 'BEGIN{printf "%.2f", (a-b)/((n-m)/1000)}') MB"
    fi
    say "$line"
    prev="$n $heap_kb $rss"
    stop
  done
  say "informer catalog: bench/informer-scale.sh (a real API server, 1,000 to 100,000 NADs)"
  ;;
*)
  echo "bench: unknown MODE $MODE (shipped, rss, scale)" >&2
  exit 2
  ;;
esac
echo "report: $REPORT"
