#!/usr/bin/env python3
"""Side-by-side HTTP benchmark of phoenix-dr and a Hummingbird 2 peer, in one run (`make bench`).

Each server is pinned to core 0 and wrk to core 1. For every scenario (keep-alive at 1, 50 and 500
connections; 50 connections with `Connection: close`) wrk runs `--runs` times and the median run
by requests/s is kept. Reported per server: requests/s, p50 and p99 latency, server CPU per
request (utime+stime from /proc, over the wrk run), peak RSS (VmHWM); then the RSS that
`--idle` idle keep-alive connections cost. The last table gives phoenix-dr / Hummingbird ratios.
"""
import argparse, os, re, resource, signal, socket, statistics, subprocess, sys, time, urllib.request

CLK = os.sysconf("SC_CLK_TCK")
SCENARIOS = [("keep-alive 1", 1, False), ("keep-alive 50", 50, False), ("keep-alive 500", 500, False), ("close 50", 50, True)]


def raise_nofile():
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def start(cmd, port):
    proc = subprocess.Popen(["taskset", "-c", "0", *cmd], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=raise_nofile)
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1).status == 200:
                return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    sys.exit(f"{cmd[0]} did not answer /health on port {port}")


def cpu_ticks(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def status_kib(pid, key):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


def to_ms(text):
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if not match:
        return float("nan")
    return float(match.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[match.group(2)]


def wrk(port, connections, close, duration):
    cmd = ["taskset", "-c", "1", "wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency"]
    if close:
        cmd += ["-H", "Connection: close"]
    out = subprocess.run(cmd + [f"http://127.0.0.1:{port}/health"], capture_output=True, text=True, preexec_fn=raise_nofile).stdout
    if "Requests/sec" not in out:
        sys.exit(f"wrk failed:\n{out}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return dict(rate=rate, total=total, p50=to_ms(re.search(r"50%\s+(\S+)", out).group(1)),
                p99=to_ms(re.search(r"99%\s+(\S+)", out).group(1)),
                errors=(int(errors.group(1)) if errors else 0), socket_errors=(socket_errors.group(1) if socket_errors else ""))


def scenario(proc, port, connections, close, duration, runs):
    results = []
    for _ in range(runs):
        before = cpu_ticks(proc.pid)
        result = wrk(port, connections, close, duration)
        result["cpu_us"] = (cpu_ticks(proc.pid) - before) / CLK * 1e6 / max(result["total"], 1)
        results.append(result)
        print(f"  {connections} conns{' close' if close else ''}: {result['rate']:.0f} req/s p99 {result['p99']:.2f} ms "
              f"cpu {result['cpu_us']:.1f} us/req", flush=True)
    results.sort(key=lambda r: r["rate"])
    return results[len(results) // 2]


def idle_cost(proc, port, count):
    raise_nofile()
    time.sleep(0.5)
    before = status_kib(proc.pid, "VmRSS")
    sockets = []
    request = b"GET /health HTTP/1.1\r\nHost: bench\r\n\r\n"
    for _ in range(count):
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(request)
        s.recv(4096)
        sockets.append(s)
    time.sleep(1.0)
    after = status_kib(proc.pid, "VmRSS")
    alive = 0
    for s in sockets:  # check the server still holds them: a request on each must be answered
        s.sendall(request)
    for s in sockets:
        s.settimeout(5)
        try:
            alive += 1 if s.recv(4096).startswith(b"HTTP/1.1 200") else 0
        except OSError:
            pass
        s.close()
    return dict(before_mib=before / 1024, after_mib=after / 1024, per_conn_kib=(after - before) / count, alive=alive)


def run_server(name, cmd, port, args):
    print(name, flush=True)
    proc = start(cmd, port)
    try:
        rows = {label: scenario(proc, port, c, close, args.duration, args.runs) for label, c, close in SCENARIOS}
        peak = status_kib(proc.pid, "VmHWM") / 1024
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    proc = start(cmd, port)  # a fresh process, so the idle figure is not inflated by the load above
    try:
        idle = idle_cost(proc, port, args.idle)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    return dict(name=name, rows=rows, peak_mib=peak, idle=idle)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--phoenix", required=True)
    parser.add_argument("--peer", required=True)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--idle", type=int, default=10000)
    args = parser.parse_args()
    servers = [
        run_server("phoenix-dr", [args.phoenix, "serve", "--listen", "127.0.0.1:18180", "--log-level", "error"], 18180, args),
        run_server("hummingbird", [args.peer, "18190"], 18190, args),
    ]
    print(f"\nwrk -t1, {args.duration}s x {args.runs} runs (median), server on core 0, wrk on core 1")
    print(f"{'server':<12} {'scenario':<15} {'req/s':>10} {'p50 ms':>8} {'p99 ms':>8} {'cpu us/req':>11} {'errors':>7}")
    for s in servers:
        for label, r in s["rows"].items():
            print(f"{s['name']:<12} {label:<15} {r['rate']:>10.0f} {r['p50']:>8.2f} {r['p99']:>8.2f} {r['cpu_us']:>11.1f} {r['errors']:>7} {r['socket_errors']}")
        print(f"{s['name']:<12} peak RSS under load: {s['peak_mib']:.1f} MiB")
        i = s["idle"]
        print(f"{s['name']:<12} {args.idle} idle keep-alive connections: RSS {i['before_mib']:.1f} -> {i['after_mib']:.1f} MiB "
              f"({i['per_conn_kib']:.2f} KiB each), {i['alive']} still answered")
    phoenix, peer = servers
    print("\nratios phoenix-dr / hummingbird")
    for label, _, _ in SCENARIOS:
        a, b = phoenix["rows"][label], peer["rows"][label]
        print(f"  {label:<15} req/s x{a['rate'] / b['rate']:.2f}   p99 x{a['p99'] / b['p99']:.2f}   cpu/req x{a['cpu_us'] / b['cpu_us']:.2f}")
    print(f"  idle connections: phoenix-dr {phoenix['idle']['after_mib']:.1f} MiB total "
          f"(target < 64 MiB), per connection x{phoenix['idle']['per_conn_kib'] / max(peer['idle']['per_conn_kib'], 0.001):.2f}")


if __name__ == "__main__":
    main()
