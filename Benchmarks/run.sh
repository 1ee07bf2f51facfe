#!/usr/bin/env bash
# `make bench`: build phoenix-dr and the Hummingbird peer in release mode, then run bench.py.
# Not part of CI. Takes about 5 minutes (mostly the first Hummingbird build) plus the runs.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product phoenix-dr
swift build -c release --package-path Benchmarks/HummingbirdPeer
python3 Benchmarks/bench.py \
  --phoenix .build/release/phoenix-dr \
  --peer Benchmarks/HummingbirdPeer/.build/release/HummingbirdPeer \
  "$@"
