#!/usr/bin/env bash
# install-cni timings: first install, unchanged re-run (SHA-256 of every file), one changed plugin,
# each as a whole `netattach install-cni` process on the JVM (subtract the --help baseline for the
# work itself). Plugins are SIZE_MB random files (a native plugin is a few tens of MiB).
#
#   bench/install-cni.sh [SIZE_MB] [RUNS]        (defaults 30 and 5; builds the jar if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
size_mb="${1:-30}"
runs="${2:-5}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
jar=target/quarkus-app/quarkus-run.jar
[ -f "$jar" ] || ./mvnw -B -q package -DskipTests
java="$JAVA_HOME/bin/java"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/src"
for p in macvlan route-override static; do
  head -c "$((size_mb * 1024 * 1024))" /dev/urandom > "$work/src/$p"
done

ms() { # command... -> elapsed milliseconds
  local t0 t1
  t0=$(date +%s%N); "$@" > /dev/null; t1=$(date +%s%N)
  echo $(((t1 - t0) / 1000000))
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

run() { "$java" -jar "$jar" install-cni --source "$work/src" --target "$work/dst" "$@"; }

baseline=$(for _ in $(seq "$runs"); do ms "$java" -jar "$jar" install-cni --help; done | median)
first=$(for _ in $(seq "$runs"); do rm -rf "$work/dst"; ms run; done | median)
unchanged=$(for _ in $(seq "$runs"); do ms run; done | median)
changed=$(for i in $(seq "$runs"); do printf '%s' "$i" >> "$work/dst/static"; ms run; done | median)

echo "install-cni, 3 plugins of ${size_mb} MiB, median of ${runs} runs (whole JVM process):"
echo "  JVM start + usage (--help) : ${baseline} ms"
echo "  first install (3 written)  : ${first} ms"
echo "  unchanged (3 hashed)       : ${unchanged} ms"
echo "  one changed (1 rewritten)  : ${changed} ms"
