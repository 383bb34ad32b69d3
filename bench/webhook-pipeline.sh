#!/usr/bin/env bash
# In-process cost of the admission edge per review, without TLS and HTTP: AdmissionReview decoding,
# the NAD handler (validation) and response encoding, on the seed management-net review.
#
#   bench/webhook-pipeline.sh [REVIEW_JSON [WARMUP [ITERATIONS]]]
#
# Complements bench/webhook-load.sh: what the server spends beyond these figures is TLS, HTTP and
# the event loop.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
./mvnw -B -q test-compile
./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
exec taskset -c "${SERVER_CPU:-0}" "$JAVA_HOME/bin/java" -XX:+UseSerialGC -Xms64m -Xmx64m -XX:+UseCompactObjectHeaders \
  -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" io.netattach.admission.WebhookPipelineBench "$@"
