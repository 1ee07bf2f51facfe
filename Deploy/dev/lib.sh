# shellcheck shell=bash
# Helpers sourced by the Deploy/dev scripts (bash only). Adapted from the team's reference recipes.
# Everything here talks to 127.0.0.1 only: the test servers never listen anywhere else.

die() { echo "$*" >&2; exit 1; }

# wait_until TIMEOUT_SECONDS CMD... : run CMD every 0.1 s until it succeeds; fail after TIMEOUT
# (whole seconds). Bounded and condition-based: a fixed sleep is too short on a loaded CI machine
# and wasted time everywhere else.
wait_until() {
  local timeout=$1; shift
  local deadline=$(( $(date +%s%N) + timeout * 1000000000 ))
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s%N)" -lt "$deadline" ] || return 1
    sleep 0.1
  done
}

# tcp_open PORT : something accepts TCP connections on 127.0.0.1:PORT (bash's /dev/tcp, no extra tool).
tcp_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# port_free PORT : nothing accepts on 127.0.0.1:PORT, so a server we start there cannot collide.
port_free() { ! tcp_open "$1"; }

# alive PID : the process exists and is not a zombie.
# Gotcha: PID 1 on our machines is not a normal init and reaps orphans ~1 s late, so a daemon that
# has exited stays in state Z for a while and `kill -0` still succeeds. Reading the state from /proc
# (not `ps`, which minimal images lack) treats Z (zombie) and X (dead) as gone.
alive() {
  local stat
  { read -r stat < "/proc/$1/stat"; } 2>/dev/null || return 1
  stat=${stat##*) }          # drop "PID (comm) ": comm may itself contain spaces or parentheses
  case ${stat%% *} in Z|X) return 1;; *) return 0;; esac
}

# gone PID : the opposite of alive, for wait_until.
gone() { ! alive "$1"; }

# --- protocol-level probes: "the port is open" is not "the server answers" -----------------------
# Each is bounded (timeout/--max-time), so a foreign server that never replies cannot hang a caller.

# redis_answers PORT : PING gets PONG. $REDIS_PASSWORD goes through REDISCLI_AUTH, off the argv.
redis_answers() {
  [ "$(env ${REDIS_PASSWORD:+"REDISCLI_AUTH=$REDIS_PASSWORD"} \
       timeout 3 redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null)" = PONG ]
}

# postgres_answers PORT : role "postgres" can run a query. -w: never prompt for a password; -X: no ~/.psqlrc.
postgres_answers() {
  [ "$(env ${POSTGRES_PASSWORD:+"PGPASSWORD=$POSTGRES_PASSWORD"} PGCONNECT_TIMEOUT=3 \
       timeout 5 psql -Xw "postgresql://postgres@127.0.0.1:$1/postgres" -Atqc 'select 1' 2>/dev/null)" = 1 ]
}

# pdns_answers APIPORT KEY : the PowerDNS HTTP API accepts KEY (a wrong key gets 401, so -f fails).
pdns_answers() {
  curl -sf --max-time 3 -o /dev/null -H "X-API-Key: $2" "http://127.0.0.1:$1/api/v1/servers/localhost"
}

# moto_answers PORT : moto's own management API answers 200 (a plain S3 endpoint would not have it).
moto_answers() { curl -sf --max-time 3 -o /dev/null "http://127.0.0.1:$1/moto-api/"; }
