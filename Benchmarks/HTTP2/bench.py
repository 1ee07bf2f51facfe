#!/usr/bin/env python3
"""HTTP/2 beside HTTP/1.1 on one phoenix-dr server, in one run (`make bench BENCH=http2`).

phoenix-dr is pinned to core 0 and h2load to core 1. The server has a plain and a TLS listener
(the TLS benchmark's ECDSA certificate). For each transport and connection count, h2load runs
against `/health` over HTTP/2 (h2c by prior knowledge on the plain listener, h2 by ALPN on the
TLS one) with 1 and with `--streams` concurrent streams per connection, and over HTTP/1.1
keep-alive on the same listener (`h2load --h1`, one request at a time per connection: what
HTTP/1.1 clients do; `--pipelined` adds HTTP/1.1 with `--streams` requests pipelined); the
modes alternate within each of `--runs` rounds and the median run by requests/s is kept.
Reported: requests/s, mean latency, server CPU per request (utime+stime from /proc), and each
mode's ratio to HTTP/1.1 at the same number of connections: the median of the rounds' ratios,
each run against the HTTP/1.1 run beside it, since the machine drifts more between rounds.

The reference beside it, in the same rounds: nginx (one worker, also on core 0) answering
`/health` with the same modes: HTTP/1.1 and h2c on two plain ports (nginx cannot offer both on
one), h2 and HTTP/1.1 by ALPN on one TLS port with the same certificate. Its h2 / HTTP/1.1 ratio
shows what the protocol and h2load's own HTTP/2 client cost per request for a mature server
(`--no-nginx` leaves it out).
"""
import argparse, importlib.util, os, re, signal, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
from bench import CLK, cpu_ticks, raise_nofile  # noqa: E402  (the HTTP/1.1 benchmark's helpers)

# The TLS benchmark's certificate and server start (a plain and a TLS listener).
_spec = importlib.util.spec_from_file_location("tls_bench", os.path.join(HERE, "..", "TLS", "bench.py"))
tls_bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(tls_bench)
URLS = {"h2c": f"http://127.0.0.1:{tls_bench.PLAIN}/health", "tls": f"https://127.0.0.1:{tls_bench.TLS}/health"}
NGINX_H1, NGINX_H2C, NGINX_TLS = 18751, 18752, 18753
# nginx's URL per transport and protocol (HTTP/1.1 and h2c need two plain ports).
NGINX_URLS = {("h2c", True): f"http://127.0.0.1:{NGINX_H1}/health", ("h2c", False): f"http://127.0.0.1:{NGINX_H2C}/health",
              ("tls", True): f"https://127.0.0.1:{NGINX_TLS}/health", ("tls", False): f"https://127.0.0.1:{NGINX_TLS}/health"}


def start_nginx(cert, key):
    """nginx with one worker on core 0: HTTP/1.1 and h2c on plain ports, both by ALPN on TLS."""
    home = tls_bench.HOME
    conf = f"{home}/nginx-http2.conf"
    location = 'location = /health { return 200 "ok"; }'
    with open(conf, "w") as handle:
        handle.write(f"""
worker_processes 1;
daemon off;
pid {home}/nginx-http2.pid;
error_log {home}/nginx-http2-error.log;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  keepalive_requests 100000000;
  server {{ listen 127.0.0.1:{NGINX_H1}; {location} }}
  server {{ listen 127.0.0.1:{NGINX_H2C} http2; {location} }}
  server {{
    listen 127.0.0.1:{NGINX_TLS} ssl http2;
    ssl_certificate {cert};
    ssl_certificate_key {key};
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_ciphers {tls_bench.CIPHERS};
    ssl_ecdh_curve X25519:prime256v1:secp384r1;
    {location}
  }}
}}
""")
    proc = subprocess.Popen(["taskset", "-c", "0", "nginx", "-c", conf, "-p", home], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, preexec_fn=raise_nofile)
    try:
        tls_bench.wait_for(NGINX_URLS[("tls", True)])
    except BaseException:  # wait_for exits when nothing answers: leave no nginx behind
        proc.kill()
        proc.wait()
        raise
    return proc


def h2load(url, connections, streams, h1, duration):
    cmd = ["taskset", "-c", "1", "h2load", "-t1", f"-c{connections}", f"-m{streams}", f"-D{duration}",
           "--warm-up-time=1"]
    if h1:
        cmd.append("--h1")
    out = subprocess.run(cmd + [url], capture_output=True, text=True,
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
    parser.add_argument("--transports", default="h2c,tls")
    parser.add_argument("--no-nginx", action="store_true", help="leave out the nginx reference")
    parser.add_argument("--pipelined", action="store_true",
                        help="also HTTP/1.1 with --streams requests pipelined per connection (what few clients do)")
    args = parser.parse_args()
    modes = [("h1.1", 1, True), ("h2 m1", 1, False), (f"h2 m{args.streams}", args.streams, False)]
    if args.pipelined:
        modes.append((f"h1.1 m{args.streams}", args.streams, True))
    transports = args.transports.split(",")
    cert, key = tls_bench.certificate()
    proc = tls_bench.start_phoenix(args.phoenix, cert, key)  # on core 0
    running = [proc]
    servers = ["phoenix-dr"] + ([] if args.no_nginx else ["nginx"])
    results = {}
    try:
        if not args.no_nginx:
            running.append(start_nginx(cert, key))
        for transport in transports:
            for connections in [int(c) for c in args.connections.split(",")]:
                for _ in range(args.runs):
                    for server in servers:
                        for label, streams, h1 in modes:
                            url = URLS[transport] if server == "phoenix-dr" else NGINX_URLS[(transport, h1)]
                            before = cpu_ticks(proc.pid)
                            r = h2load(url, connections, streams, h1, args.duration)
                            # Only our server's CPU: nginx's worker is a child of its master.
                            r["cpu_us"] = (cpu_ticks(proc.pid) - before) / CLK * 1e6 / max(r["done"], 1) if server == "phoenix-dr" else float("nan")
                            results.setdefault((server, transport, connections, label), []).append(r)
                            print(f"  {server} {transport} {connections} conns {label}: {r['rate']:.0f} req/s mean {r['mean_ms']:.2f} ms "
                                  f"cpu {r['cpu_us']:.1f} us/req failed {r['failed']}", flush=True)
    finally:
        for server in running:
            server.send_signal(signal.SIGTERM)
        for server in running:
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()

    def median(key):
        rows = sorted(results[key], key=lambda r: r["rate"])
        return rows[len(rows) // 2]

    print(f"\nh2load -t1 against /health, {args.duration}s x {args.runs} runs (median), servers on core 0, h2load on core 1")
    print(f"{'server':<11}{'transport':<10}{'conns':>6} {'mode':<8} {'req/s':>10} {'mean ms':>8} {'cpu us/req':>11} {'failed':>7}")
    for (server, transport, connections, label) in results:
        r = median((server, transport, connections, label))
        print(f"{server:<11}{transport:<10}{connections:>6} {label:<8} {r['rate']:>10.0f} {r['mean_ms']:>8.2f} {r['cpu_us']:>11.1f} {r['failed']:>7}")
    # Each mode against the HTTP/1.1 run of the same round, minutes apart at most: the machine's
    # speed drifts more than that between rounds, so the median of these pairs is the ratio.
    print("\nratios to HTTP/1.1 (same server, transport and connections; median of the rounds' pairs, then each round's)")
    for server in servers:
        for transport in transports:
            for connections in sorted({c for s, t, c, _ in results if s == server and t == transport}):
                h1 = results[(server, transport, connections, "h1.1")]
                parts = []
                for label, _, _ in modes[1:]:
                    pairs = [r["rate"] / max(base["rate"], 1e-9) for r, base in zip(results[(server, transport, connections, label)], h1)]
                    parts.append(f"{label} x{sorted(pairs)[len(pairs) // 2]:.2f} ({' '.join(f'{p:.2f}' for p in pairs)})")
                print(f"  {server:<11}{transport:<4} {connections:>4} conns: {'   '.join(parts)}")


if __name__ == "__main__":
    main()
