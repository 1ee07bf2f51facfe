#!/usr/bin/env bash
# `make bench`: release builds, then the benchmarks, each beside its reference tool in one run.
# Not part of CI. BENCH=http or BENCH=backup runs one of them (default: all).
#   http:   phoenix-dr and a Hummingbird 2 peer under wrk (about 5 minutes, mostly the first
#           Hummingbird build, plus the runs)
#   http2:  phoenix-dr's HTTP/2 (h2c and h2 over TLS) beside its own HTTP/1.1 on the same
#           listener under h2load, same connections, same run, and nginx's h2 beside its
#           HTTP/1.1 as the reference (about 20 minutes)
#   backup: a 1 GiB directory backed up by phoenix-dr and by restic; the encrypt+hash stage
#           beside `openssl speed` (the data set is generated once, seeded, under /tmp)
#   postgres: a ~1 GB pgbench database backed up by phoenix-dr and by pg_dump -Fc; restores
#           beside pg_restore (the database is made once under /tmp/phoenix-bench-pg)
#   redis:  1 million keys backed up by phoenix-dr and by redis-cli --rdb; restores beside
#           redis-server loading the same RDB
#   tls:    phoenix-dr's TLS listener under wrk beside its own plain listener (keep-alive) and
#           beside nginx with the same certificate (one request per connection)
set -euo pipefail
cd "$(dirname "$0")/.."
what=${BENCH:-all}
swift build -c release --static-swift-stdlib --product phoenix-dr  # as `make run` builds it
if [ "$what" = all ] || [ "$what" = http ]; then
  swift build -c release --package-path Benchmarks/HummingbirdPeer
  python3 Benchmarks/bench.py \
    --phoenix .build/release/phoenix-dr \
    --peer Benchmarks/HummingbirdPeer/.build/release/HummingbirdPeer \
    "$@"
fi
if [ "$what" = all ] || [ "$what" = http2 ]; then
  python3 Benchmarks/HTTP2/bench.py --phoenix .build/release/phoenix-dr
fi
if [ "$what" = all ] || [ "$what" = backup ]; then
  swift build -c release --package-path Benchmarks/ArtifactThroughput
  python3 Benchmarks/Backup/bench.py \
    --phoenix .build/release/phoenix-dr \
    --throughput Benchmarks/ArtifactThroughput/.build/release/ArtifactThroughput
fi
if [ "$what" = all ] || [ "$what" = postgres ]; then
  python3 Benchmarks/Postgres/bench.py --phoenix .build/release/phoenix-dr
fi
if [ "$what" = all ] || [ "$what" = redis ]; then
  python3 Benchmarks/Redis/bench.py --phoenix .build/release/phoenix-dr
fi
if [ "$what" = all ] || [ "$what" = tls ]; then
  python3 Benchmarks/TLS/bench.py --phoenix .build/release/phoenix-dr
fi
