#!/usr/bin/env bash
# Start moto's standalone server (PyPI moto[server] 5.2.x) on 127.0.0.1: S3, Route 53 and the other
# mocked AWS APIs behind ONE endpoint. State lives in memory only (POST /moto-api/reset wipes it).
# Usage: start-moto.sh PORT DATADIR
#   DATADIR only holds moto.log.   env START_TIMEOUT=30.
#   Other env passes through to moto, e.g. INITIAL_NO_AUTH_ACTION_COUNT=0 turns SigV4/IAM checks on.
# Prints only the server PID on stdout.  Stop: stop-moto.sh PID
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); . "$here/lib.sh"
usage="usage: start-moto.sh PORT DATADIR"
port=${1:?$usage}; dir=${2:?$usage}
exe=$(command -v moto_server) || die "moto_server missing: Deploy/dev/install-deps.sh test"
# Gotcha: under pyenv, moto_server is a shell shim that execs python later; resolve it to the real
# script so $! is the python process we must stop, not a shim that has already gone.
if command -v pyenv >/dev/null 2>&1 && real=$(pyenv which moto_server 2>/dev/null); then exe=$real; fi
port_free "$port" || die "start-moto: port $port already in use on 127.0.0.1"
mkdir -p "$dir"; dir=$(cd "$dir" && pwd)

# setsid: see start-redis.sh ($! is moto's python itself).
setsid "$exe" -H 127.0.0.1 -p "$port" </dev/null >"$dir/moto.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true' EXIT      # never leave a half-started server behind
if ! wait_until "${START_TIMEOUT:-30}" moto_answers "$port"; then
  echo "start-moto: no answer on $port within ${START_TIMEOUT:-30}s; log tail:" >&2
  tail -20 "$dir/moto.log" >&2 || true
  exit 1
fi
trap - EXIT
echo "$pid"
