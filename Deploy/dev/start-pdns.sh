#!/usr/bin/env bash
# Start a throwaway PowerDNS Authoritative 4.7 (pdns-server + pdns-backend-sqlite3) on 127.0.0.1:
# DNS (UDP+TCP) on DNSPORT, HTTP API on APIPORT (default DNSPORT+1000), sqlite DB in DATADIR.
# Usage: start-pdns.sh DNSPORT DATADIR [APIPORT]
#   env PDNS_API_KEY=...   (default pdns-test-key)    env START_TIMEOUT=15
#   env PDNS_DNSUPDATE=yes -> accept RFC 2136 updates from 127.0.0.0/8 (zones also need
#                             metadata TSIG-ALLOW-DNSUPDATE)
# Runs in the foreground (daemon=no, guardian=no) with its own --config-dir: no setuid, no syslog.
# An existing DATADIR/pdns.sqlite3 is reused, so zones survive a restart.
# Prints only the pdns_server PID on stdout. Log: DATADIR/pdns.log.  Stop: stop-pdns.sh PID
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); . "$here/lib.sh"
usage="usage: start-pdns.sh DNSPORT DATADIR [APIPORT]"
port=${1:?$usage}; dir=${2:?$usage}; apiport=${3:-$((port + 1000))}
key=${PDNS_API_KEY:-pdns-test-key}
schema=/usr/share/doc/pdns-backend-sqlite3/schema.sqlite3.sql
command -v pdns_server >/dev/null || die "pdns_server missing: Deploy/dev/install-deps.sh test"
[ -f "$schema" ] || die "missing $schema: Deploy/dev/install-deps.sh test"
command -v sqlite3 >/dev/null || die "sqlite3 missing: Deploy/dev/install-deps.sh test"
port_free "$port" || die "start-pdns: port $port already in use on 127.0.0.1"
port_free "$apiport" || die "start-pdns: API port $apiport already in use on 127.0.0.1"
mkdir -p "$dir"; dir=$(cd "$dir" && pwd)
[ -f "$dir/pdns.sqlite3" ] || sqlite3 "$dir/pdns.sqlite3" < "$schema"

# Caches at 0 (+ consistent-backends): a change made through the API shows in the very next answer,
# which is what a failover test checks. security-poll-suffix empty: no DNS lookup to the internet.
cat > "$dir/pdns.conf" <<PDNS_CONF
launch=gsqlite3
gsqlite3-database=$dir/pdns.sqlite3
gsqlite3-dnssec=yes
local-address=127.0.0.1
local-port=$port
socket-dir=$dir
daemon=no
guardian=no
disable-syslog=yes
log-timestamp=yes
loglevel=4
api=yes
api-key=$key
webserver=yes
webserver-address=127.0.0.1
webserver-port=$apiport
webserver-allow-from=127.0.0.0/8,::1/128
default-soa-content=ns1.@ hostmaster.@ 0 10800 3600 604800 3600
security-poll-suffix=
cache-ttl=0
negquery-cache-ttl=0
query-cache-ttl=0
consistent-backends=yes
dnsupdate=${PDNS_DNSUPDATE:-no}
allow-dnsupdate-from=127.0.0.0/8
PDNS_CONF

# setsid: see start-redis.sh ($! is pdns_server itself).
setsid pdns_server --config-dir="$dir" </dev/null >"$dir/pdns.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true' EXIT      # never leave a half-started server behind
if ! wait_until "${START_TIMEOUT:-15}" pdns_answers "$apiport" "$key" || ! wait_until 5 tcp_open "$port"; then
  echo "start-pdns: API $apiport / DNS $port not answering within ${START_TIMEOUT:-15}s; log tail:" >&2
  tail -20 "$dir/pdns.log" >&2 || true
  exit 1
fi
trap - EXIT
echo "$pid"
