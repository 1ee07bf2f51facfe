#!/usr/bin/env python3
"""TLS benchmark (`BENCH=tls make bench`): phoenix-dr's TLS listener beside its own plain HTTP/1.1
listener and beside nginx serving the same certificate, in one run.

Each server is pinned to core 0 (nginx with one worker) and wrk to core 1, against `/health`.
Reported (median of `--runs` wrk runs by requests/s):
- keep-alive, 50 connections: phoenix-dr TLS / phoenix-dr plain (target >= 0.8);
- one request per connection (`Connection: close`, a full handshake each): phoenix-dr TLS / nginx
  TLS (target >= 0.7).
The certificate is ECDSA P-256 (made once under /tmp/phoenix-bench-tls); both servers use the
same suites (the intermediate profile) and X25519.
"""
import argparse, os, signal, subprocess, sys, time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import bench  # noqa: E402  (wrk runs and /proc readings of the HTTP benchmark)

HOME = "/tmp/phoenix-bench-tls"
PLAIN, TLS, NGINX = 18280, 18643, 18743
CIPHERS = ("ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
           "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305")


def certificate():
    cert, key = f"{HOME}/cert.pem", f"{HOME}/key.pem"
    if not os.path.exists(cert):
        os.makedirs(HOME, exist_ok=True)
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                        "-keyout", key, "-out", cert, "-subj", "/CN=localhost", "-days", "3650"], check=True, capture_output=True)
    return cert, key


def wait_for(url):
    deadline = time.time() + 30
    while time.time() < deadline:
        if subprocess.run(["curl", "-sk", "-o", "/dev/null", url]).returncode == 0:
            return
        time.sleep(0.1)
    sys.exit(f"nothing answers {url}")


def start_phoenix(binary, cert, key):
    config = f"{HOME}/phoenix-dr.yaml"
    with open(config, "w") as handle:
        handle.write(f"server:\n  data_directory: {HOME}/data\n  listeners:\n    - address: 127.0.0.1:{PLAIN}\n"
                     f"    - address: 127.0.0.1:{TLS}\n      tls_certificate: {cert}\n      tls_key: {key}\n")
    proc = subprocess.Popen(["taskset", "-c", "0", binary, "serve", "--config", config, "--log-level", "error"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=bench.raise_nofile)
    wait_for(f"https://127.0.0.1:{TLS}/health")
    return proc


def start_nginx(cert, key):
    conf = f"{HOME}/nginx.conf"
    with open(conf, "w") as handle:
        handle.write(f"""
worker_processes 1;
daemon off;
pid {HOME}/nginx.pid;
error_log {HOME}/nginx-error.log;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  keepalive_requests 100000000;
  server {{
    listen 127.0.0.1:{NGINX} ssl;
    ssl_certificate {cert};
    ssl_certificate_key {key};
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_ciphers {CIPHERS};
    ssl_ecdh_curve X25519:prime256v1:secp384r1;
    location = /health {{ return 200 "ok"; }}
  }}
}}
""")
    proc = subprocess.Popen(["taskset", "-c", "0", "nginx", "-c", conf, "-p", HOME], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, preexec_fn=bench.raise_nofile)
    wait_for(f"https://127.0.0.1:{NGINX}/health")
    return proc


def measure(scheme, port, connections, close, args):
    runs = []
    for _ in range(args.runs):
        cmd = ["taskset", "-c", "1", "wrk", "-t1", f"-c{connections}", f"-d{args.duration}s"]
        if close:
            cmd += ["-H", "Connection: close"]
        out = subprocess.run(cmd + [f"{scheme}://127.0.0.1:{port}/health"], capture_output=True, text=True).stdout
        if "Requests/sec" not in out:
            sys.exit(f"wrk failed:\n{out}")
        rate = float(out.split("Requests/sec:")[1].split()[0])
        errors = "Socket errors" in out or "Non-2xx" in out
        print(f"  {scheme}:{port} {connections} conns{' close' if close else ''}: {rate:.0f} req/s{' (errors)' if errors else ''}",
              flush=True)
        runs.append(rate)
    return sorted(runs)[len(runs) // 2]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--phoenix", required=True)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--connections", type=int, default=50)
    args = parser.parse_args()
    cert, key = certificate()
    c = args.connections
    phoenix = start_phoenix(args.phoenix, cert, key)
    try:
        ours = dict(plain_keepalive=measure("http", PLAIN, c, False, args), tls_keepalive=measure("https", TLS, c, False, args),
                    tls_close=measure("https", TLS, c, True, args))
    finally:
        phoenix.send_signal(signal.SIGTERM)
        phoenix.wait(timeout=30)
    nginx = start_nginx(cert, key)
    try:
        theirs = dict(tls_keepalive=measure("https", NGINX, c, False, args), tls_close=measure("https", NGINX, c, True, args))
    finally:
        nginx.send_signal(signal.SIGQUIT)
        nginx.wait(timeout=30)
    print(f"\nwrk -t1 -c{c}, {args.duration}s x {args.runs} runs (median), server on core 0, wrk on core 1")
    print(f"phoenix-dr plain keep-alive   {ours['plain_keepalive']:>10.0f} req/s")
    print(f"phoenix-dr TLS   keep-alive   {ours['tls_keepalive']:>10.0f} req/s")
    print(f"nginx      TLS   keep-alive   {theirs['tls_keepalive']:>10.0f} req/s")
    print(f"phoenix-dr TLS   new conns    {ours['tls_close']:>10.0f} req/s")
    print(f"nginx      TLS   new conns    {theirs['tls_close']:>10.0f} req/s")
    print(f"\nTLS keep-alive / our plain keep-alive: {ours['tls_keepalive'] / ours['plain_keepalive']:.2f} (target >= 0.8)")
    print(f"TLS new connections, ours / nginx:     {ours['tls_close'] / theirs['tls_close']:.2f} (target >= 0.7)")
    print(f"TLS keep-alive, ours / nginx:          {ours['tls_keepalive'] / theirs['tls_keepalive']:.2f} (for reference)")


if __name__ == "__main__":
    main()
