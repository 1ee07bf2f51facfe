#!/usr/bin/env bash
# Start or stop the shared servers that `make test` runs the Swift tests against.
# Usage: test-services.sh up|down STATE_DIR
#   env TEST_SERVICES="redis redis-auth redis-cluster postgres postgres-dr pdns moto moto-auth" -> which ones
#   (default: all; redis-auth requires a password (and holds an ACL user the tests create);
#   redis-cluster is three masters on 6392-6394 (bus ports 16392-16394), no replicas;
#   postgres-dr is a second cluster with a password, the DR side of backup/restore tests;
#   moto-auth is a second moto that checks SigV4 signatures, with one IAM user for the S3 tests)
# up:   starts each one on its loopback test port (never the default ports, which a system service
#       may hold), in parallel, with fresh data under STATE_DIR/<name>. A port already served by a
#       server that answers the protocol (a developer's own instance) is reused and not recorded.
#       Writes STATE_DIR/pids ("name pid" per line) and STATE_DIR/env (KEY=value lines, for
#       `set -a; . STATE_DIR/env`). Exits 1, having stopped what it started, if any start fails.
# down: stops exactly the PIDs in STATE_DIR/pids, and nothing else. Logs stay in STATE_DIR.
set -euo pipefail
shopt -s inherit_errexit          # let `set -e` reach into $(start ...) too
here=$(cd "$(dirname "$0")" && pwd); . "$here/lib.sh"
usage="usage: test-services.sh up|down STATE_DIR"
cmd=${1:?$usage}; state=${2:?$usage}
read -ra services <<< "${TEST_SERVICES:-redis redis-auth redis-cluster postgres postgres-dr pdns moto moto-auth}"

redis_port=6390 redis_auth_port=6391 redis_cluster_port=6392 redis_password=redis-test-pw pg_port=5433 pg_dr_port=5434 pg_dr_password=dr-secret-pw dns_port=15353 pdns_api_port=18081 s3_port=5055 s3_auth_port=5056
pdns_key=pdns-test-key

# env_lines NAME : what the tests read to find NAME's server (they default to the same addresses).
env_lines() {
  case "$1" in
    redis)    echo "PHOENIX_TEST_REDIS=127.0.0.1:$redis_port" ;;
    redis-auth) echo "PHOENIX_TEST_REDIS_AUTH=127.0.0.1:$redis_auth_port"
                echo "PHOENIX_TEST_REDIS_PASSWORD=$redis_password" ;;
    redis-cluster) echo "PHOENIX_TEST_REDIS_CLUSTER=127.0.0.1:$redis_cluster_port" ;;
    postgres) echo "PHOENIX_TEST_POSTGRES=postgresql://postgres@127.0.0.1:$pg_port/postgres" ;;
    postgres-dr) echo "PHOENIX_TEST_POSTGRES_DR=postgresql://postgres:$pg_dr_password@127.0.0.1:$pg_dr_port/postgres" ;;
    pdns)     echo "PHOENIX_TEST_PDNS_API=http://127.0.0.1:$pdns_api_port"
              echo "PHOENIX_TEST_PDNS_KEY=$pdns_key" ;;
    moto)     echo "PHOENIX_TEST_S3=http://127.0.0.1:$s3_port" ;;
    moto-auth)
      echo "PHOENIX_TEST_S3_AUTH=http://127.0.0.1:$s3_auth_port"
      if [ -f "$state/moto-auth.keys" ]; then
        read -r key secret < "$state/moto-auth.keys"
        echo "PHOENIX_TEST_S3_AUTH_KEY_ID=$key"
        echo "PHOENIX_TEST_S3_AUTH_SECRET=$secret"
      fi ;;
    *) die "test-services: unknown service '$1' (known: redis redis-auth redis-cluster postgres postgres-dr pdns moto moto-auth)" ;;
  esac
}

# start NAME : prints the new PID, or nothing when an answering server already holds the port.
start() {
  local dir=$state/$1
  rm -rf "$dir" "$dir.initdb.log"                # fresh data each run: no state leaks between runs
  case "$1" in
    redis)
      port_free "$redis_port" || { reuse redis "$redis_port" redis_answers "$redis_port"; return; }
      "$here/start-redis.sh" "$redis_port" "$dir" ;;
    redis-auth)
      port_free "$redis_auth_port" || { REDIS_PASSWORD=$redis_password reuse redis-auth "$redis_auth_port" redis_answers "$redis_auth_port"; return; }
      REDIS_PASSWORD=$redis_password "$here/start-redis.sh" "$redis_auth_port" "$dir" ;;
    redis-cluster)                               # prints three PIDs, one per master
      port_free "$redis_cluster_port" || { reuse redis-cluster "$redis_cluster_port" redis_answers "$redis_cluster_port"; return; }
      "$here/start-redis-cluster.sh" "$redis_cluster_port" "$dir" ;;
    postgres)
      port_free "$pg_port" || { reuse postgres "$pg_port" postgres_answers "$pg_port"; return; }
      "$here/start-postgres.sh" "$pg_port" "$(pg_datadir postgres)" ;;
    postgres-dr)
      port_free "$pg_dr_port" || { POSTGRES_PASSWORD=$pg_dr_password reuse postgres-dr "$pg_dr_port" postgres_answers "$pg_dr_port"; return; }
      POSTGRES_PASSWORD=$pg_dr_password "$here/start-postgres.sh" "$pg_dr_port" "$(pg_datadir postgres-dr)" ;;
    pdns)
      if ! port_free "$pdns_api_port" || ! port_free "$dns_port"; then
        reuse pdns "$pdns_api_port/$dns_port" pdns_answers "$pdns_api_port" "$pdns_key"
        tcp_open "$dns_port" || die "test-services: the PowerDNS API answers but DNS port $dns_port is closed"
        return
      fi
      PDNS_API_KEY=$pdns_key "$here/start-pdns.sh" "$dns_port" "$dir" "$pdns_api_port" ;;
    moto)
      port_free "$s3_port" || { reuse moto "$s3_port" moto_answers "$s3_port"; return; }
      "$here/start-moto.sh" "$s3_port" "$dir" ;;
    moto-auth)
      # Its IAM user exists only in that server's memory: a server we did not start has none.
      port_free "$s3_auth_port" || die "test-services: port $s3_auth_port is taken; moto-auth needs a fresh moto there"
      local pid
      pid=$("$here/start-moto.sh" "$s3_auth_port" "$dir")
      if ! python3 "$here/moto-auth-bootstrap.py" "$s3_auth_port" > "$state/moto-auth.keys" 2> "$dir/bootstrap.log"; then
        kill "$pid"; cat "$dir/bootstrap.log" >&2; die "test-services: could not set up IAM on moto-auth"
      fi
      echo "$pid" ;;
  esac
}

# reuse NAME PORT PROBE... : accept a server we did not start, but only if it speaks the protocol.
reuse() {
  local name=$1 port=$2; shift 2
  "$@" || die "test-services: port $port is taken by something that is not a working $name test server"
  echo "test-services: reusing the $name already answering on 127.0.0.1:$port (not stopped by down)" >&2
}

# pg_datadir NAME : STATE_DIR/NAME, unless we are root and the postgres user cannot reach it (a
# checkout under /root is 0700): then a directory under /tmp, remembered in STATE_DIR/pgdata for down.
pg_datadir() {
  local dir=$state/$1
  if [ "$(id -u)" -eq 0 ] && ! runuser -u "${PG_USER:-postgres}" -- test -x "$state" 2>/dev/null; then
    dir=$(mktemp -d "/tmp/phoenix-test-$1.XXXXXX")
    echo "$dir" >> "$state/pgdata"
  fi
  echo "$dir"
}

# expected NAME : a pattern the command line of NAME's server matches. down checks it, so a PIDs
# file left over from before a reboot can never make us signal an unrelated process.
expected() {
  case "$1" in
    redis|redis-auth|redis-cluster) echo '*redis-server*' ;; postgres|postgres-dr) echo '*postgres*' ;;
    pdns) echo '*pdns_server*' ;;   moto|moto-auth) echo '*moto_server*' ;;  *) echo '' ;;
  esac
}

down() {
  local name pid cmdline pattern stop pgdata stoppers=() failed=0
  if [ -f "$state/pids" ]; then
    while read -r name pid; do
      cmdline=$(tr '\0' ' ' 2>/dev/null < "/proc/$pid/cmdline") || cmdline=
      pattern=$(expected "$name")
      # shellcheck disable=SC2053 # $pattern is a glob on purpose
      if [ -z "$cmdline" ] || [[ $cmdline != $pattern ]]; then
        echo "test-services: $name (PID $pid) is not running any more; nothing to stop" >&2; continue
      fi
      # Stop them all at once: ~0.3 s instead of ~1 s one after the other.
      case "$name" in postgres*) stop="stop-postgres.sh" ;; *) stop="stop-pid.sh" ;; esac
      { "$here/$stop" "$pid" >/dev/null && echo "test-services: stopped $name (PID $pid)"; } &
      stoppers+=($!)
    done < "$state/pids"
    for j in ${stoppers[@]+"${stoppers[@]}"}; do wait "$j" || failed=1; done
  fi
  [ "$failed" -eq 0 ] || die "test-services: some servers did not stop; see above"
  if [ -f "$state/pgdata" ]; then
    while read -r pgdata; do rm -rf "$pgdata" "$pgdata.initdb.log" "$pgdata.pwfile"; done < "$state/pgdata"
  fi
  rm -f "$state/pids" "$state/env" "$state/pgdata" "$state/moto-auth.keys"
}

up() {
  local name pid failed=() starters=()
  for name in "${services[@]}"; do env_lines "$name" >/dev/null; done   # reject typos before starting
  down                                           # a previous run that never reached `down`
  : > "$state/pids"
  for name in "${services[@]}"; do
    # Each start appends "name pid" the moment it has one, so even an interrupted `up` leaves a
    # complete list for `down`. Lines this short are appended atomically.
    ( pid=$(start "$name")
      [ -n "$pid" ] || exit 0
      for p in $pid; do echo "$name $p" >> "$state/pids"; done; echo "test-services: started $name (PID $pid)" ) &
    starters+=($!)
  done
  for i in "${!services[@]}"; do wait "${starters[$i]}" || failed+=("${services[$i]}"); done
  if [ ${#failed[@]} -gt 0 ]; then
    down; die "test-services: could not start: ${failed[*]} (logs under $state)"
  fi
  for name in "${services[@]}"; do env_lines "$name"; done > "$state/env"
}

mkdir -p "$state"; state=$(cd "$state" && pwd)
case "$cmd" in
  up) up ;;
  down) down ;;
  *) die "$usage" ;;
esac
