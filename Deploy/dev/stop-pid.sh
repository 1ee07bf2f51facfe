#!/usr/bin/env bash
# Stop ONE process by PID: SIGTERM (or $STOP_SIGNAL), wait up to TIMEOUT s (default 10), then SIGKILL.
# Usage: stop-pid.sh PID [TIMEOUT_SECONDS]
# Never kills by name: another developer's or CI job's servers may share the machine.
# Exit 0 once the process is gone (a zombie counts as gone; see alive in lib.sh), or was already gone.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); . "$here/lib.sh"
pid=${1:?usage: stop-pid.sh PID [TIMEOUT]}; timeout=${2:-10}
case "$pid" in ''|*[!0-9]*) die "stop-pid: not a PID: $pid";; esac
alive "$pid" || { echo "stop-pid: $pid not running"; exit 0; }
kill -"${STOP_SIGNAL:-TERM}" "$pid" 2>/dev/null || true
wait_until "$timeout" gone "$pid" || {
  echo "stop-pid: $pid still up after ${timeout}s, sending SIGKILL" >&2
  kill -KILL "$pid" 2>/dev/null || true
  wait_until 2 gone "$pid" || die "stop-pid: $pid survived SIGKILL"
}
echo "stop-pid: $pid stopped"
