#!/usr/bin/env python3
"""Redis benchmark (issue 8): our backup of a server holding 1 million keys beside
`redis-cli --rdb` of the same server in the same run, and our restore (RDB checked and written,
server started, keys counted) beside redis-server loading the same RDB. Prints a table and ratios.

    python3 bench.py --phoenix .build/release/phoenix-dr [--keys 1000000] [--runs 3] [--work /tmp/phoenix-bench-redis]
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from phoenix_bench import timed_backups  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PORT, RESTORE_PORT = 5492, 5493


def start_redis(port, directory, extra=""):
    env = dict(os.environ, REDIS_EXTRA_ARGS=extra)
    return subprocess.run(["bash", f"{ROOT}/Deploy/dev/start-redis.sh", str(port), directory], check=True,
                          capture_output=True, text=True, env=env).stdout.strip()


def stop(pid):
    subprocess.run(["bash", f"{ROOT}/Deploy/dev/stop-pid.sh", pid], capture_output=True)


def cli(port, *args):
    return subprocess.run(["redis-cli", "-p", str(port), *args], check=True, capture_output=True, text=True).stdout.strip()


def ours(binary, work, runs):
    datasets = (f"regions:\n  production:\n    role: primary\n    redis: {{address: 127.0.0.1:{PORT}}}\n"
                f"datasets:\n  redis_data: {{source: redis, tier: Critical, schedule: \"0 0 1 1 *\", retention: {{keep_last: 100}}}}\n")
    return timed_backups(binary, os.path.join(work, "phoenix"), datasets, "redis_data", runs)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--phoenix", required=True)
    parser.add_argument("--keys", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", default="/tmp/phoenix-bench-redis")
    args = parser.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    pid = start_redis(PORT, os.path.join(args.work, "source"), "--enable-debug-command yes")
    try:
        cli(PORT, "DEBUG", "POPULATE", str(args.keys), "key", "64")
        reference = os.path.join(args.work, "reference.rdb")
        cli_times = []
        for _ in range(args.runs):
            start = time.monotonic()
            subprocess.run(["redis-cli", "-p", str(PORT), "--rdb", reference], check=True, capture_output=True)
            cli_times.append(time.monotonic() - start)
        our_times, artifact, keyring = ours(args.phoenix, args.work, args.runs)
        load_times, restore_times = [], []
        for run in range(args.runs):
            plain = os.path.join(args.work, f"load-{run}")
            os.makedirs(plain)
            shutil.copy(reference, os.path.join(plain, "dump.rdb"))
            start = time.monotonic()
            loaded = start_redis(RESTORE_PORT, plain)  # returns once PING answers: the RDB is loaded
            load_times.append(time.monotonic() - start)
            stop(loaded)
            target = os.path.join(args.work, f"restore-{run}")
            os.makedirs(target)
            start = time.monotonic()
            subprocess.run([args.phoenix, "artifact", "restore", artifact, "--keyring", keyring, "--redis-dir", target,
                            "--start-command", f"bash {ROOT}/Deploy/dev/start-redis.sh {RESTORE_PORT} {target} > {target}/pid",
                            "--redis-address", f"127.0.0.1:{RESTORE_PORT}"], check=True, capture_output=True)
            restore_times.append(time.monotonic() - start)
            stop(open(f"{target}/pid").read().strip())
    finally:
        stop(pid)
    med = statistics.median
    print(f"{args.keys} keys; RDB {os.path.getsize(reference) / 2**20:.0f} MiB; medians of {args.runs} runs")
    print(f"{'':36}{'seconds':>10}{'ratio':>8}")
    for name, seconds, base in [("redis-cli --rdb", med(cli_times), med(cli_times)),
                                ("phoenix-dr backup", med(our_times), med(cli_times)),
                                ("redis-server loading the RDB", med(load_times), med(load_times)),
                                ("phoenix-dr artifact restore", med(restore_times), med(load_times))]:
        print(f"{name:36}{seconds:>10.2f}{seconds / base:>7.2f}x")


if __name__ == "__main__":
    main()
