#!/usr/bin/env bash
# NadValidator on the seed NADs of deploy/examples, under JMH (src/jmh/java/io/netattach/bench/
# ValidatorBenchmark.java): sample time per validation, p50/p90/p99 in µs. Target: p50 under 20 µs.
# Extra arguments go to JMH, e.g. bench/validator.sh -wi 2 -i 3 -w 1s -r 1s (shorter run).
set -euo pipefail
exec "$(dirname "$0")/jmh.sh" 'io.netattach.bench.ValidatorBenchmark' "$@"
