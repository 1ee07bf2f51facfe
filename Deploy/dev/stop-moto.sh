#!/usr/bin/env bash
# Stop the server started by start-moto.sh: SIGTERM, then SIGKILL. Usage: stop-moto.sh PID [TIMEOUT]
set -euo pipefail
exec "$(dirname "$0")/stop-pid.sh" "$@"
