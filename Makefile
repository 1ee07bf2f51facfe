# The two commands a newcomer needs: `make run` (serve on 127.0.0.1:8080) and `make test`.
# Each one installs what it needs first (Deploy/dev/install-deps.sh; a no-op once installed).

# Extra arguments for `phoenix-dr serve`, e.g. make run ARGS="--listen 0.0.0.0:9000".
ARGS ?=
# Extra flags for `swift test`, e.g. make test SWIFT_TEST_FLAGS="--filter Redis".
SWIFT_TEST_FLAGS ?=

.PHONY: run build test bench clean

# The release binary carries the Swift runtime and Foundation linked in (--static-swift-stdlib):
# it runs on a host without a Swift toolchain (glibc 2.36 or newer: its relocations are packed
# as RELR, see Package.swift), and only the pages it touches are resident,
# where the shared libraries cost their relocated data in every process (idle RSS 38.6 MiB
# against 43.3 MiB; a 1 GiB backup peaks at 58.6-58.9 MiB against 62.4-62.7 MiB).
run:
	bash Deploy/dev/install-deps.sh run
	swift build -c release --static-swift-stdlib --product phoenix-dr
	exec .build/release/phoenix-dr serve $(ARGS)

build:
	bash Deploy/dev/install-deps.sh run
	swift build

# run-tests.sh starts Redis, PostgreSQL, PowerDNS and moto on loopback test ports, runs swift test
# and always stops them again; its exit status is swift test's.
test:
	bash Deploy/dev/install-deps.sh test
	bash Deploy/dev/run-tests.sh $(SWIFT_TEST_FLAGS)

bench:
	bash Deploy/dev/install-deps.sh bench
	@test -f Benchmarks/run.sh || { echo "Benchmarks/run.sh does not exist yet" >&2; exit 1; }
	bash Benchmarks/run.sh

# Stop test servers a killed `make test` may have left running before their data goes away.
clean:
	if [ -f .build/test-services/pids ]; then bash Deploy/dev/test-services.sh down .build/test-services; fi
	rm -rf .build
