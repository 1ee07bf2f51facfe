#!/usr/bin/env bash
# The body of `make test`: start the shared test servers, run `swift test` against them, and stop
# them again whatever happens (test failure, Ctrl-C, SIGTERM). Exits with swift test's status.
# Usage: run-tests.sh [SWIFT_TEST_FLAGS...]      e.g. run-tests.sh --filter Redis
#   env TEST_SERVICES="redis postgres pdns moto" -> which servers to start (see test-services.sh)
#   env CI=...                                  -> PHOENIX_REQUIRE_SERVICES=1: a missing server fails
#                                                  the tests instead of skipping them
set -euo pipefail
cd "$(dirname "$0")/../.."
state=$PWD/.build/test-services
mkdir -p "$state"

# EXIT runs on normal exit and on errors; turning INT/TERM/HUP into an exit makes it run then too.
# The servers sit in their own sessions, so a Ctrl-C reaches only us and swift test, not them.
trap 'Deploy/dev/test-services.sh down "$state"' EXIT
trap 'exit 129' HUP; trap 'exit 130' INT; trap 'exit 143' TERM

Deploy/dev/test-services.sh up "$state"
# The env file is written by `test-services.sh up`, so shellcheck cannot follow it.
set -a
# shellcheck source=/dev/null
. "$state/env"
set +a
if [ -n "${CI:-}" ]; then export PHOENIX_REQUIRE_SERVICES=1; fi
if [ $# -gt 0 ]; then
  exec swift test "$@"
fi
# Three passes. The suites that move hundreds of MiB or run whole servers (backups of 512 MiB, a
# SIGKILLed backup, two instances on one lease, 200 MiB streams, 1,000 contended claims) run
# after the others, not beside the suites that time keep-alive gaps, leases and shutdown in
# milliseconds; the suites against the source and S3 servers (moto's Python busy on both cores
# with multipart uploads, pg_dump, redis-server forks) run last, so the 200 MiB streams and
# their stall timeouts do not share the machine with them. The HTTP/2 abuse suite (floods of
# millions of frames, both cores busy for a moment) runs with the heavy ones too, and so do
# SpawnedProcessTests (300 tools started at once beside a thread that opens descriptors nonstop),
# and TLSBinaryTests (3,000 stalled TLS handshakes: the fast pass once starved an HTTP answer
# past its 5 s read beside it).
heavy='TLSBinaryTests|BackupBinaryTests|LeaseBinaryTests|SilentWorkerBinaryTests|BoundedMemoryTests|StreamingTests|PostgresJobCatalogTests|AbuseTests|SpawnedProcessTests'
# The Vault suites run against the fake Vault of PhoenixTesting; the Git suites start their own
# git daemon and sshd (openssh-server) on free loopback ports.
sources='S3BinaryTests|S3OutageBinaryTests|S3StoreTests|S3FaultTests|S3LifecycleTests|S3RetireTests|S3MalformedAnswerTests|PostgresSourceTests|PostgresRestoreCheckTests|PostgresBinaryTests|PostgresFailureBinaryTests|PostgresSchemaBinaryTests|RedisSourceTests|FakeVaultTests|VaultSourceTests|VaultStagingTests|VaultSnapshotCheckerTests|VaultGitPipelineTests|GitSourceTests|GitBundleTests|GitTransportTests|VaultGitBinaryTests|RedisLogicalTests|RedisClusterTests|RedisBinaryTests|RedisClusterBinaryTests'
status=0
swift test --skip "$heavy|$sources" || status=$?
swift test --skip-build --filter "$heavy" || status=$?
swift test --skip-build --filter "$sources" || status=$?
exit $status
