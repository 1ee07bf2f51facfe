#!/usr/bin/env bash
# Start a three-master Redis Cluster (no replicas) on 127.0.0.1: ports PORT, PORT+1, PORT+2 (and
# their cluster bus ports, each +10000), one data directory each under DATADIR/node-PORT.
# Usage: start-redis-cluster.sh PORT DATADIR
#   env REDIS_PASSWORD=secret -> every node requires it (and uses it on the cluster bus)
#   env START_TIMEOUT=20      -> seconds to wait for cluster_state:ok on every node
# Prints the three server PIDs on one line, space-separated. Stop each with stop-redis.sh PID.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); . "$here/lib.sh"
usage="usage: start-redis-cluster.sh PORT DATADIR"
port=${1:?$usage}; dir=${2:?$usage}
command -v redis-cli >/dev/null || die "redis-cli missing: Deploy/dev/install-deps.sh test"
ports=("$port" $((port + 1)) $((port + 2)))
for p in "${ports[@]}"; do
  port_free "$p" && port_free $((p + 10000)) || die "start-redis-cluster: port $p or its bus port $((p + 10000)) is in use"
done
pids=()
trap 'for p in ${pids[@]+"${pids[@]}"}; do kill "$p" 2>/dev/null || true; done' EXIT   # never leave half a cluster
for p in "${ports[@]}"; do
  pids+=("$(REDIS_EXTRA_ARGS="--cluster-enabled yes --cluster-config-file nodes.conf --cluster-node-timeout 5000 ${REDIS_EXTRA_ARGS:-}" \
            "$here/start-redis.sh" "$p" "$dir/node-$p")")
done
# The slots are split in three; --cluster-yes accepts the proposed layout without a prompt.
env ${REDIS_PASSWORD:+"REDISCLI_AUTH=$REDIS_PASSWORD"} timeout "${START_TIMEOUT:-20}" redis-cli --cluster create \
  "${ports[@]/#/127.0.0.1:}" --cluster-replicas 0 --cluster-yes > "$dir/create.log" 2>&1 \
  || { cat "$dir/create.log" >&2; die "start-redis-cluster: redis-cli --cluster create failed"; }
cluster_ok() {
  [ "$(env ${REDIS_PASSWORD:+"REDISCLI_AUTH=$REDIS_PASSWORD"} timeout 3 redis-cli -h 127.0.0.1 -p "$1" cluster info 2>/dev/null \
       | tr -d '\r' | grep '^cluster_state:')" = cluster_state:ok ]
}
for p in "${ports[@]}"; do
  wait_until "${START_TIMEOUT:-20}" cluster_ok "$p" || die "start-redis-cluster: node $p never reported cluster_state:ok"
done
trap - EXIT
echo "${pids[*]}"
