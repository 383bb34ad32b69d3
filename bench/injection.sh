#!/usr/bin/env bash
# The pod injection decision (PodInjector against the webhook's CatalogIndex) for catalogs of 10, 1,000
# and 10,000 NADs, 10 of them selecting the pod, plus pod validation of the injected pod, under JMH
# (src/jmh/java/io/netattach/bench/InjectionBenchmark.java): sample time per decision, p50/p90/p99 in µs.
# Target: under 50 µs per decision and flat in the catalog size (an index, not a scan).
# Extra arguments go to JMH, e.g. bench/injection.sh -wi 2 -i 3 -w 1s -r 1s -p nads=10000
set -euo pipefail
exec "$(dirname "$0")/jmh.sh" 'io.netattach.bench.InjectionBenchmark' "$@"
