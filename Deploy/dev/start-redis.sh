#!/usr/bin/env bash
# Start a throwaway redis-server (Debian's 7.0) on 127.0.0.1, without systemd.
# Usage: start-redis.sh PORT DATADIR [REPLICAOF_PORT]
#   env REDIS_PASSWORD=secret -> requirepass + masterauth (so replicas authenticate to the primary)
#   env START_TIMEOUT=10      -> seconds to wait for PONG
#   env REDIS_EXTRA_ARGS="--repl-diskless-sync no" -> more redis-server options
# Prints only the server PID on stdout, so PID=$(start-redis.sh ...) works. Log: DATADIR/redis.log.
# Stop: stop-redis.sh PID
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); . "$here/lib.sh"
usage="usage: start-redis.sh PORT DATADIR [REPLICAOF_PORT]"
port=${1:?$usage}; dir=${2:?$usage}; replicaof=${3:-}
command -v redis-server >/dev/null || die "redis-server missing: Deploy/dev/install-deps.sh test"
port_free "$port" || die "start-redis: port $port already in use on 127.0.0.1"
mkdir -p "$dir"; dir=$(cd "$dir" && pwd)

# --save "": tests never want a stray dump.rdb; call SAVE/BGSAVE explicitly when a test needs one.
# --repl-diskless-sync-delay 0: Redis 7 waits 5 s before a new replica's first full sync by default.
args=(--port "$port" --bind 127.0.0.1 --protected-mode yes
      --dir "$dir" --dbfilename dump.rdb --save "" --appendonly no
      --logfile "$dir/redis.log" --daemonize no --supervised no
      --repl-diskless-sync-delay 0)
[ -z "${REDIS_PASSWORD:-}" ] || args+=(--requirepass "$REDIS_PASSWORD" --masterauth "$REDIS_PASSWORD")
[ -z "$replicaof" ] || args+=(--replicaof 127.0.0.1 "$replicaof")
read -ra extra <<< "${REDIS_EXTRA_ARGS:-}"
args+=(${extra[@]+"${extra[@]}"})

# setsid: own session, so the server outlives this shell and a Ctrl-C in the terminal. Without job
# control the child is not a group leader, so setsid does not fork and $! is redis-server itself.
setsid redis-server "${args[@]}" </dev/null >/dev/null 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true' EXIT      # never leave a half-started server behind
if ! wait_until "${START_TIMEOUT:-10}" redis_answers "$port"; then
  echo "start-redis: no PONG on $port within ${START_TIMEOUT:-10}s; log tail:" >&2
  tail -20 "$dir/redis.log" >&2 || true
  exit 1
fi
# The PONG may come from another server that took the port between the check above and our
# bind (ours then exited): the server must be this one.
served=$(env ${REDIS_PASSWORD:+"REDISCLI_AUTH=$REDIS_PASSWORD"} timeout 3 redis-cli -h 127.0.0.1 -p "$port" info server 2>/dev/null \
         | tr -d '\r' | sed -n 's/^process_id://p')
if [ "$served" != "$pid" ]; then
  echo "start-redis: port $port is served by pid ${served:-?}, not by $pid" >&2
  exit 1
fi
trap - EXIT
echo "$pid"
