# Shared by bench/webhook-load.sh and bench/soak.sh (source it; needs JAVA_HOME, JAR, JVM_OPTS,
# SERVER_CPU, PORT). The server starts through bin/netattach, the one launch configuration of the
# packaged application (its JVM options and AOT cache); JVM_OPTS (empty by default) is added after them.

# start_server NAME LOG [JAVA -D OPTIONS...]: starts the packaged webhook standalone (directory catalog)
# pinned to $SERVER_CPU on https port $PORT, sets SERVER_PID, stops it when the script exits, and
# returns once /q/health/ready answers (exits with the server log when it dies or never gets ready).
start_server() {
  local name="$1" log="$2"
  shift 2
  local extra
  extra="$JVM_OPTS -Dquarkus.http.ssl-port=$PORT -Dquarkus.log.level=WARN -Dnetattach.catalog.mode=directory"
  for o in "$@"; do extra="$extra $o"; done # the -D options of the benchmarks have no spaces
  JAVA_OPTS="$extra" taskset -c "$SERVER_CPU" bin/netattach serve >"$log" 2>&1 &
  SERVER_PID=$!
  trap stop_server EXIT
  for _ in $(seq 1 120); do
    if curl -skf "https://localhost:$PORT/q/health/ready" >/dev/null 2>&1; then return 0; fi
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "$name: server died:" >&2; cat "$log" >&2; exit 1; }
    sleep 0.5
  done
  echo "$name: server not ready" >&2
  cat "$log" >&2
  exit 1
}

stop_server() {
  if kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID"
    wait "$SERVER_PID" 2>/dev/null || true
  fi
}
