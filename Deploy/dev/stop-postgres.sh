#!/usr/bin/env bash
# Stop a postmaster started by start-postgres.sh, by PID.   Usage: stop-postgres.sh PID [TIMEOUT]
# SIGINT is the "fast" shutdown (disconnects clients, clean checkpoint). SIGTERM would be the "smart"
# one, which waits for every client to leave: a test that leaked a connection would hang it.
# Escalates to SIGQUIT (immediate), then SIGKILL, each after TIMEOUT seconds (default 15).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); . "$here/lib.sh"
pid=${1:?usage: stop-postgres.sh PID [TIMEOUT]}; timeout=${2:-15}
case "$pid" in ''|*[!0-9]*) die "stop-postgres: not a PID: $pid";; esac
alive "$pid" || { echo "stop-postgres: $pid not running"; exit 0; }
for sig in INT QUIT KILL; do
  [ "$sig" = INT ] || echo "stop-postgres: $pid still up, sending SIG$sig" >&2
  kill -"$sig" "$pid" 2>/dev/null || true
  if wait_until "$timeout" gone "$pid"; then echo "stop-postgres: $pid stopped"; exit 0; fi
done
die "stop-postgres: $pid survived SIGKILL"
