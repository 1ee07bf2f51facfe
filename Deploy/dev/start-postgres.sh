#!/usr/bin/env bash
# Start a throwaway PostgreSQL 15 cluster (Debian's postgresql-15) on 127.0.0.1, without systemd.
# Usage: start-postgres.sh PORT DATADIR
#   env POSTGRES_PASSWORD=pw -> password for role "postgres", TCP auth scram-sha-256 (unset: trust)
#   env PG_USER=postgres     -> OS user that owns and runs the cluster when we are root
#   env START_TIMEOUT=30     -> seconds for pg_ctl -w
#   env PG_EXTRA_OPTS="-c wal_level=logical ..." -> extra server options
# A DATADIR that already holds a cluster (PG_VERSION) is started as is, in ~150 ms instead of ~1.4 s.
# The unix socket goes into DATADIR (not /var/run/postgresql), so clusters never collide.
# Prints only the postmaster PID on stdout. Logs: DATADIR/server.log, DATADIR.initdb.log.
# Stop: stop-postgres.sh PID
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); . "$here/lib.sh"
usage="usage: start-postgres.sh PORT DATADIR"
port=${1:?$usage}; dir=${2:?$usage}
bin=/usr/lib/postgresql/15/bin
[ -x "$bin/initdb" ] || die "PostgreSQL 15 missing: Deploy/dev/install-deps.sh test"
port_free "$port" || die "start-postgres: port $port already in use on 127.0.0.1"
mkdir -p "$dir"; dir=$(cd "$dir" && pwd)

# postgres refuses to run as root: as root, run initdb/pg_ctl as $PG_USER through runuser.
# As anyone else, the cluster simply belongs to the caller.
if [ "$(id -u)" -eq 0 ]; then
  pguser=${PG_USER:-postgres}
  id "$pguser" >/dev/null 2>&1 || die "OS user $pguser missing (useradd --system $pguser)"
  # Every parent of DATADIR must be enterable by that user: mktemp -d makes 0700 dirs, and a
  # checkout under /root is 0700 too. test -x goes through access(2), which checks every parent.
  runuser -u "$pguser" -- test -x "$(dirname "$dir")" \
    || die "start-postgres: user $pguser cannot reach $(dirname "$dir") (chmod o+x its parents, or use /tmp)"
  chown "$pguser": "$dir"
  as() { runuser -u "$pguser" -- "$@"; }
else
  as() { "$@"; }
fi
chmod 700 "$dir"      # postgres refuses a data directory others can read

if [ ! -f "$dir/PG_VERSION" ]; then
  # initdb wants an empty directory, so its log goes next to it. --no-sync: test data only.
  init=(-D "$dir" -U postgres -E UTF8 --locale=C.UTF-8 --no-sync)
  if [ -n "${POSTGRES_PASSWORD:-}" ]; then
    pwfile="$dir.pwfile"; (umask 077; printf '%s\n' "$POSTGRES_PASSWORD" > "$pwfile")
    [ "$(id -u)" -ne 0 ] || chown "$pguser" "$pwfile"
    init+=(--auth-local=trust --auth-host=scram-sha-256 --pwfile="$pwfile")
  else
    init+=(--auth=trust)
  fi
  as "$bin/initdb" "${init[@]}" >"$dir.initdb.log" 2>&1 || { rm -f "${pwfile:-}"; cat "$dir.initdb.log" >&2; die "initdb failed"; }
  rm -f "${pwfile:-}"
fi

# fsync/synchronous_commit/full_page_writes off: faster tests; only an OS crash could lose data.
opts="-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir"
opts="$opts -c fsync=off -c synchronous_commit=off -c full_page_writes=off ${PG_EXTRA_OPTS:-}"
# pg_ctl daemonises (and calls setsid), so the PID comes from postmaster.pid, not from $!.
# If pg_ctl -w times out, the server may still be starting and may not even have written
# postmaster.pid yet: give it a moment to appear, then stop that server rather than leak it.
if ! as "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -o "$opts" -w -t "${START_TIMEOUT:-30}" start >/dev/null; then
  echo "start-postgres: not ready on $port within ${START_TIMEOUT:-30}s; log tail:" >&2
  tail -30 "$dir/server.log" >&2 || true
  if wait_until 5 test -s "$dir/postmaster.pid"; then
    "$here/stop-postgres.sh" "$(head -1 "$dir/postmaster.pid")" 5 >/dev/null || true
  fi
  exit 1
fi
head -1 "$dir/postmaster.pid"
