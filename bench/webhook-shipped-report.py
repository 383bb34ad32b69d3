#!/usr/bin/env python3
"""Summary of a cold-start run of bench/webhook-shipped.sh (MODE=shipped): the Go reference and
netattach with and without its AOT cache, side by side, with ratios and the issue's targets.

usage: bench/webhook-shipped-report.py GO.txt AOT.txt NOAOT.txt COLD_SECONDS
(each file: key=value lines written by the cold() function of bench/webhook-shipped.sh)
"""
import sys


def load(path):
    values = {}
    with open(path) as f:
        for line in f:
            key, _, value = line.rstrip("\n").partition("=")
            values[key] = value
    timeline = {}
    for item in values.get("timeline", "").split():
        second, _, count = item.partition("=")
        timeline[int(second)] = timeline.get(int(second), 0) + int(count)
    values["per_second"] = timeline
    return values


def num(values, key):
    try:
        return float(values.get(key) or "nan")
    except ValueError:
        return float("nan")


def peak_second(values):
    """First second (since the process start) with at least 90 % of the steady-state reviews/s."""
    steady = num(values, "steady_rps")
    for second in sorted(values["per_second"]):
        if values["per_second"][second] >= 0.9 * steady:
            return second
    return None


def ratio(a, b):
    return a / b if b else float("nan")


def main():
    if len(sys.argv) != 5:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    go, aot, noaot = (load(p) for p in sys.argv[1:4])
    seconds = int(sys.argv[4])
    runs = [("Go", go), ("netattach AOT", aot), ("netattach no AOT", noaot)]
    print("time to ready (first HTTP 200 on a NAD review, from the process start):  "
          + ",  ".join(f"{name} {int(num(v, 'ready_ms'))} ms" for name, v in runs))
    print("time to peak (first second at >= 90 % of the steady state):  "
          + ",  ".join(f"{name} {peak_second(v) if peak_second(v) is not None else '>' + str(seconds)} s" for name, v in runs))
    print("reviews/s in each second since the process start (16 connections):")
    print("  second        Go  netattach-AOT  ratio   no-AOT  ratio")
    for s in range(seconds):
        g, a, n = (v["per_second"].get(s, 0) for _, v in runs)
        print(f"  {s:6d}  {g:8d}  {a:13d}  {ratio(a, g):5.2f}  {n:7d}  {ratio(n, g):5.2f}")
    for label, rps, p99 in (("from 5 s to %d s" % seconds, "after5_rps", "after5_p99_us"),
                            ("steady state", "steady_rps", "steady_p99_us")):
        print(f"{label}:")
        for name, v in runs:
            print(f"  {name:17s} {num(v, rps):8.0f} reviews/s  p99 {num(v, p99) / 1000:7.3f} ms"
                  f"  (ratio to Go: {ratio(num(v, rps), num(go, rps)):5.2f}x reviews/s,"
                  f" p99 {ratio(num(v, p99), num(go, p99)):5.2f}x)"
                  f"  errors {v.get(rps.replace('rps', 'errors'), '?')}")
    print("RSS after the runs:  " + ",  ".join(f"{name} {v.get('rss_mb')} MB" for name, v in runs))
    after5 = ratio(num(aot, "after5_rps"), num(go, "after5_rps"))
    p99 = ratio(num(aot, "after5_p99_us"), num(go, "after5_p99_us"))
    ready = num(aot, "ready_ms")
    print("targets (netattach with its AOT cache):")
    print(f"  from 5 s after the start >= 4x Go's reviews/s: {after5:.2f}x  {'MET' if after5 >= 4 else 'NOT MET'}")
    measured = num(aot, "after5_rps") > 0
    print(f"  from 5 s after the start p99 <= Go's p99: {p99:.2f}x  {'MET' if measured and p99 <= 1 else 'NOT MET'}")
    print(f"  ready within 500 ms: {ready:.0f} ms  {'MET' if ready <= 500 else 'NOT MET'}")


if __name__ == "__main__":
    main()
