#!/usr/bin/env bash
# Install what `make run`, `make test` or `make bench` needs on Debian 12, only when it is missing.
# Usage: install-deps.sh run|test|bench
# As root it installs with apt-get (and pip for moto). As anyone else it lists what is missing and
# exits 1: it never calls sudo on its own. A no-op when everything is there (no apt-get update).
# Note: on our machines installing a server package does not start it (policy-rc.d exits 101, no
# systemd); elsewhere Debian may start redis/postgres/pdns on their default ports, which is why the
# test servers use other ports.
set -euo pipefail
mode=${1:-}
run_pkgs=(pkg-config libssl-dev libcurl4-openssl-dev libhiredis-dev libpq-dev libnghttp2-dev
          libzstd-dev libsqlite3-dev)
test_pkgs=(curl redis-server redis-tools postgresql-15 postgresql-client-15 pdns-server
           pdns-backend-sqlite3 sqlite3 nghttp2-client git openssl ca-certificates
           openssh-client openssh-server)
bench_pkgs=(wrk hyperfine restic time nginx-light)
moto_req='moto[server]==5.2.1'
case "$mode" in
  run)   pkgs=("${run_pkgs[@]}") ;;
  test)  pkgs=("${run_pkgs[@]}" "${test_pkgs[@]}") ;;
  bench) pkgs=("${run_pkgs[@]}" "${test_pkgs[@]}" "${bench_pkgs[@]}") ;;
  *) echo "usage: install-deps.sh run|test|bench" >&2; exit 2 ;;
esac
command -v swift >/dev/null || echo "install-deps: warning: no swift on PATH (install Swift 6 from swift.org)" >&2

# `dpkg -s` succeeds for a removed package whose config files remain: ask for the exact status.
installed() { [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]; }
missing=()
for p in "${pkgs[@]}"; do installed "$p" || missing+=("$p"); done
need_moto=
if [ "$mode" != run ] && ! python3 -c 'import moto' >/dev/null 2>&1; then need_moto=1; fi

if [ ${#missing[@]} -eq 0 ] && [ -z "$need_moto" ]; then
  echo "install-deps: everything for '$mode' is installed"; exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing for 'make $mode' (run this script as root, or install them yourself):" >&2
  [ ${#missing[@]} -eq 0 ] || echo "  sudo apt-get install --no-install-recommends ${missing[*]}" >&2
  [ -z "$need_moto" ] || echo "  python3 -m pip install '$moto_req'" >&2
  exit 1
fi

if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  # Wait for another apt/dpkg (e.g. a background install) instead of failing at once.
  # DPkg::Lock::Timeout covers the dpkg lock that `install` takes, but apt 2.6's `update` fails at
  # once on /var/lib/apt/lists/lock ("Could not get lock"), so retry that case ourselves.
  lock_timeout=${APT_LOCK_TIMEOUT:-300}
  apt=(apt-get -q -o DPkg::Lock::Timeout="$lock_timeout")
  echo "install-deps: apt-get install ${missing[*]}"
  deadline=$(( SECONDS + lock_timeout ))
  until err=$("${apt[@]}" update 2>&1 >/dev/null); do
    if [[ $err == *"Could not get lock"* ]] && [ "$SECONDS" -lt "$deadline" ]; then
      echo "install-deps: apt lists are locked by another apt-get; waiting" >&2; sleep 3
    else
      echo "$err" >&2; exit 1
    fi
  done
  "${apt[@]}" install -y --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ -n "$need_moto" ]; then
  command -v python3 >/dev/null || { echo "install-deps: moto needs python3 with pip" >&2; exit 1; }
  echo "install-deps: pip install $moto_req"
  # PIP_ROOT_USER_ACTION silences the "running pip as root" warning (older pips ignore the variable).
  PIP_ROOT_USER_ACTION=ignore python3 -m pip install -q --disable-pip-version-check "$moto_req"
  # Under pyenv a new console script (moto_server) only gets on PATH once its shim exists.
  if command -v pyenv >/dev/null 2>&1; then pyenv rehash; fi
fi
echo "install-deps: '$mode' ready"
