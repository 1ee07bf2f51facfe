#!/usr/bin/env bash
# Stop the server started by start-pdns.sh: SIGTERM, then SIGKILL. Usage: stop-pdns.sh PID [TIMEOUT]
set -euo pipefail
exec "$(dirname "$0")/stop-pid.sh" "$@"
