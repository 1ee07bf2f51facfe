#!/usr/bin/env python3
"""PostgreSQL benchmark (issue 9): our backup of a ~1 GB database beside plain
`pg_dump -Fc > file` in the same run, with and without a state-hash table, and our offline
restore (pg_restore plus the exact check) beside `pg_restore` alone. Prints a table and ratios.
Our backup runs at the default `dump_compression` (pg_dump's zlib at level 1), and again at
pg_dump's own default level 6 and at 0 (pg_dump does not compress, our zstd does), with sizes.

    python3 bench.py --phoenix .build/release/phoenix-dr [--scale 68] [--runs 3] [--work /tmp/phoenix-bench-pg]

A throwaway cluster on port 5491 holds a pgbench database (scale 68: 6.8 million accounts,
about 1 GB on disk); it is made once and kept under --work between runs.
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from phoenix_bench import timed_backups  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PORT = 5491


def sh(*args, **kwargs):
    return subprocess.run(args, check=True, **kwargs)


def psql(db, sql):
    return subprocess.run(["psql", "-X", "-Atq", f"postgresql://postgres@127.0.0.1:{PORT}/{db}", "-c", sql],
                          check=True, capture_output=True, text=True).stdout.strip()


def cluster(work, scale):
    data = os.path.join(work, "cluster")
    pid = subprocess.run(["bash", f"{ROOT}/Deploy/dev/start-postgres.sh", str(PORT), data],
                         check=True, capture_output=True, text=True).stdout.strip()
    if psql("postgres", "SELECT count(*) FROM pg_database WHERE datname = 'bench'") == "0":
        print(f"making the pgbench database (scale {scale}) ...", file=sys.stderr)
        psql("postgres", "CREATE DATABASE bench")
        sh("pgbench", "-q", "-i", "-s", str(scale), "-h", "127.0.0.1", "-p", str(PORT), "-U", "postgres", "bench",
           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    size = int(psql("bench", "SELECT pg_database_size('bench')"))
    return pid, size


def ours(binary, work, runs, state_tables, compression="1"):
    """Trigger-to-end wall time of our backups of `bench`; returns the times and the artifact."""
    home = os.path.join(work, "phoenix-" + ("hash" if state_tables else "plain") + f"-z{compression}")
    datasets = (f"datasets:\n  bench:\n    source: postgres\n    url: postgresql://postgres@127.0.0.1:{PORT}/bench\n"
                f"    state_tables: [{', '.join(state_tables)}]\n    globals: false\n    dump_compression: \"{compression}\"\n"
                f"    tier: Standard\n    schedule: \"0 0 1 1 *\"\n    retention: {{keep_last: 100}}\n")
    return timed_backups(binary, home, datasets, "bench", runs)


def pg_dump(work, runs):
    times = []
    target = os.path.join(work, "bench.dump")
    for _ in range(runs):
        start = time.monotonic()
        with open(target, "wb") as out:
            sh("pg_dump", "-Fc", f"postgresql://postgres@127.0.0.1:{PORT}/bench", stdout=out)
        times.append(time.monotonic() - start)
    return times, target


def restores(binary, dump, artifact, keyring, runs):
    plain, checked = [], []
    for _ in range(runs):
        psql("postgres", "DROP DATABASE IF EXISTS restored WITH (FORCE)")
        psql("postgres", "CREATE DATABASE restored")
        start = time.monotonic()
        sh("pg_restore", "-d", f"postgresql://postgres@127.0.0.1:{PORT}/restored", dump)
        plain.append(time.monotonic() - start)
        psql("postgres", "DROP DATABASE IF EXISTS restored WITH (FORCE)")
        start = time.monotonic()
        sh(binary, "artifact", "restore", artifact, "--keyring", keyring, "--no-globals",
           "--to", f"postgresql://postgres@127.0.0.1:{PORT}/restored", stdout=subprocess.DEVNULL)
        checked.append(time.monotonic() - start)
    psql("postgres", "DROP DATABASE IF EXISTS restored WITH (FORCE)")
    return plain, checked


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--phoenix", required=True)
    parser.add_argument("--scale", type=int, default=68)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", default="/tmp/phoenix-bench-pg")
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    pid, size = cluster(args.work, args.scale)
    try:
        dump_times, dump = pg_dump(args.work, args.runs)
        plain_times, artifact, keyring = ours(args.phoenix, args.work, args.runs, [])
        level6_times, level6, _ = ours(args.phoenix, args.work, args.runs, [], "6")
        zstd_times, zstd, _ = ours(args.phoenix, args.work, args.runs, [], "0")
        hash_times, _, _ = ours(args.phoenix, args.work, args.runs, ["pgbench_accounts"])
        restore_plain, restore_checked = restores(args.phoenix, dump, artifact, keyring, args.runs)
    finally:
        subprocess.run(["bash", f"{ROOT}/Deploy/dev/stop-postgres.sh", pid], capture_output=True)
    med = statistics.median
    mib = lambda path: f"{os.path.getsize(path) / 2**20:.1f} MiB"
    print(f"database: {size / 2**30:.2f} GiB on disk (pgbench scale {args.scale}); medians of {args.runs} runs")
    print(f"sizes: pg_dump -Fc {mib(dump)}; ours at dump_compression 1 (default) {mib(artifact)}, 6 {mib(level6)}, 0 (our zstd) {mib(zstd)}")
    print(f"{'':32}{'seconds':>10}{'ratio':>8}")
    rows = [("pg_dump -Fc > file", med(dump_times), 1.0),
            ("phoenix-dr backup (counts)", med(plain_times), med(plain_times) / med(dump_times)),
            ("  at dump_compression 6", med(level6_times), med(level6_times) / med(dump_times)),
            ("  at dump_compression 0 (zstd)", med(zstd_times), med(zstd_times) / med(dump_times)),
            ("phoenix-dr backup (+state hash)", med(hash_times), med(hash_times) / med(dump_times)),
            ("pg_restore", med(restore_plain), 1.0),
            ("phoenix-dr artifact restore", med(restore_checked), med(restore_checked) / med(restore_plain))]
    for name, seconds, ratio in rows:
        print(f"{name:32}{seconds:>10.2f}{ratio:>7.2f}x")
    print(f"state hash of pgbench_accounts: +{med(hash_times) - med(plain_times):.2f} s")


if __name__ == "__main__":
    main()
