#!/usr/bin/env python3
"""HTTP/2 beside HTTP/1.1 on one phoenix-dr server, in one run (`make bench BENCH=http2`).

phoenix-dr is pinned to core 0 and h2load to core 1. For each connection count, h2load runs
against `/health` over h2c (prior knowledge) with 1 and with `--streams` concurrent streams per
connection, and over HTTP/1.1 keep-alive (`h2load --h1`, one request at a time per connection:
what HTTP/1.1 clients do); the modes alternate within each of `--runs` rounds and the median
run by requests/s is kept. Reported: requests/s, mean latency, server CPU per request
(utime+stime from /proc), and the ratio h2 / HTTP/1.1 at the same number of connections.
"""
import argparse, os, re, signal, subprocess, sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from bench import CLK, cpu_ticks, raise_nofile, start  # noqa: E402  (the HTTP/1.1 benchmark's helpers)

PORT = 18280


def h2load(connections, streams, h1, duration):
    cmd = ["taskset", "-c", "1", "h2load", "-t1", f"-c{connections}", f"-m{streams}", f"-D{duration}",
           "--warm-up-time=1"]
    if h1:
        cmd.append("--h1")
    out = subprocess.run(cmd + [f"http://127.0.0.1:{PORT}/health"], capture_output=True, text=True,
                         preexec_fn=raise_nofile).stdout
    rate = re.search(r"finished in [\d.]+\w+, ([\d.]+) req/s", out)
    done = re.search(r"requests: \d+ total, \d+ started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored", out)
    latency = re.search(r"time for request:\s+\S+\s+\S+\s+(\S+)", out)
    if not rate or not done:
        sys.exit(f"h2load failed:\n{out}")
    mean = latency.group(1) if latency else "nan"
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    unit = re.fullmatch(r"([\d.]+)(us|ms|s)", mean)
    return dict(rate=float(rate.group(1)), done=int(done.group(1)), failed=int(done.group(3)) + int(done.group(4)),
                mean_ms=float(unit.group(1)) * scale[unit.group(2)] if unit else float("nan"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--phoenix", required=True)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--connections", default="1,50,200")
    parser.add_argument("--streams", type=int, default=10)
    args = parser.parse_args()
    modes = [("h1.1", 1, True), ("h2 m1", 1, False), (f"h2 m{args.streams}", args.streams, False)]
    proc = start([args.phoenix, "serve", "--listen", f"127.0.0.1:{PORT}", "--log-level", "error"], PORT)  # on core 0
    results = {}
    try:
        for connections in [int(c) for c in args.connections.split(",")]:
            for _ in range(args.runs):
                for label, streams, h1 in modes:
                    before = cpu_ticks(proc.pid)
                    r = h2load(connections, streams, h1, args.duration)
                    r["cpu_us"] = (cpu_ticks(proc.pid) - before) / CLK * 1e6 / max(r["done"], 1)
                    results.setdefault((connections, label), []).append(r)
                    print(f"  {connections} conns {label}: {r['rate']:.0f} req/s mean {r['mean_ms']:.2f} ms "
                          f"cpu {r['cpu_us']:.1f} us/req failed {r['failed']}", flush=True)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)

    def median(key):
        rows = sorted(results[key], key=lambda r: r["rate"])
        return rows[len(rows) // 2]

    print(f"\nh2load -t1 against /health, {args.duration}s x {args.runs} runs (median), phoenix-dr on core 0, h2load on core 1")
    print(f"{'conns':>6} {'mode':<8} {'req/s':>10} {'mean ms':>8} {'cpu us/req':>11} {'failed':>7}")
    for (connections, label) in results:
        r = median((connections, label))
        print(f"{connections:>6} {label:<8} {r['rate']:>10.0f} {r['mean_ms']:>8.2f} {r['cpu_us']:>11.1f} {r['failed']:>7}")
    print("\nratios h2 / HTTP/1.1 (same connections, same run)")
    for connections in sorted({c for c, _ in results}):
        h1 = median((connections, "h1.1"))["rate"]
        line = "   ".join(f"{label} x{median((connections, label))['rate'] / h1:.2f}" for label, _, h in modes if not h)
        print(f"  {connections:>4} conns: {line}")


if __name__ == "__main__":
    main()
