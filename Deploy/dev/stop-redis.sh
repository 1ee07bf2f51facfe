#!/usr/bin/env bash
# Stop the server started by start-redis.sh: SIGTERM, then SIGKILL. Usage: stop-redis.sh PID [TIMEOUT]
# Nothing is saved on the way out (it runs with --save ""): SAVE first if a test needs dump.rdb.
set -euo pipefail
exec "$(dirname "$0")/stop-pid.sh" "$@"
