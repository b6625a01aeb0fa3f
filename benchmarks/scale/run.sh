#!/usr/bin/env bash
# Scale-out load figures (benchmarks/RESULTS.md, "Scale-out"): requests per second of one server
# embedded, one server on PostgreSQL + Redis, and two servers on the same PostgreSQL + Redis,
# with wrk on the same machine, plus Redis commands per request from INFO commandstats.
# Needs: wrk, redis-server, PostgreSQL on 127.0.0.1:5432 (trust), target/iklan.jar.
# Everything it starts (servers, its own Redis on a free port, a database) it stops or drops.
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-32}
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  psql -h 127.0.0.1 -U postgres -q -c "DROP DATABASE IF EXISTS iklan_bench WITH (FORCE)" postgres || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_up() { for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$1/health" >/dev/null 2>&1 && return; sleep 0.2; done; echo "server on $1 did not start"; exit 1; }
start_server() { # port data-dir [env...]
  local port=$1 data=$2; shift 2
  env "$@" IKLAN_ADMIN_TOKEN=bench IKLAN_SECRET=bench-secret-of-enough-length \
    java -Xmx1g -jar target/iklan.jar --port "$port" --data-dir "$data" \
    >"$data.log" 2>&1 &
  pids+=($!)
  wait_up "$port"
  # warm up the JIT before measuring
  wrk -t1 -c4 -d5s -s benchmarks/scale/ads.lua "http://127.0.0.1:$port" >/dev/null
}
redis_calls() { redis-cli -p "$rport" INFO commandstats | tr -d '\r' | grep '^cmdstat_' \
  | sed -E 's/^cmdstat_([a-z|]+):calls=([0-9]+).*/\1 \2/'; }

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

echo "== 1 server, embedded"
p1=$(free_port)
start_server "$p1" "$work/embedded"
wrk -t2 -c"$CONNECTIONS" -d"$DURATION" -s benchmarks/scale/ads.lua "http://127.0.0.1:$p1" | grep RESULT
kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true

rport=$(free_port)
mkdir -p "$work/redis"
redis-server --port "$rport" --bind 127.0.0.1 --save "" --appendonly no --dir "$work/redis" \
  --logfile redis.log --daemonize no >/dev/null 2>&1 &
pids+=($!)
sleep 0.5
psql -h 127.0.0.1 -U postgres -q -c "DROP DATABASE IF EXISTS iklan_bench WITH (FORCE)" -c "CREATE DATABASE iklan_bench" postgres
shared=(IKLAN_POSTGRES_URL=postgresql://postgres@127.0.0.1:5432/iklan_bench IKLAN_REDIS_URL=redis://127.0.0.1:$rport/0)

echo "== 1 server, PostgreSQL + Redis"
p2=$(free_port)
start_server "$p2" "$work/shared-1" "${shared[@]}"
redis-cli -p "$rport" CONFIG RESETSTAT >/dev/null
wrk -t2 -c"$CONNECTIONS" -d"$DURATION" -s benchmarks/scale/ads.lua "http://127.0.0.1:$p2" | tee "$work/one.txt" | grep RESULT
redis_calls > "$work/one-redis.txt"; cat "$work/one-redis.txt"
kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true

echo "== 2 servers, PostgreSQL + Redis (wrk split over both)"
p3=$(free_port); p4=$(free_port)
start_server "$p3" "$work/shared-a" "${shared[@]}"
start_server "$p4" "$work/shared-b" "${shared[@]}"
redis-cli -p "$rport" CONFIG RESETSTAT >/dev/null
half=$((CONNECTIONS / 2))
wrk -t1 -c"$half" -d"$DURATION" -s benchmarks/scale/ads.lua "http://127.0.0.1:$p3" > "$work/a.txt" &
wa=$!
wrk -t1 -c"$half" -d"$DURATION" -s benchmarks/scale/ads.lua "http://127.0.0.1:$p4" > "$work/b.txt"
wait $wa
grep RESULT "$work/a.txt" "$work/b.txt"
redis_calls
echo "postgres: $(psql -h 127.0.0.1 -U postgres -At -c "SELECT xact_commit FROM pg_stat_database WHERE datname='iklan_bench'" postgres) transactions in iklan_bench so far"
