#!/usr/bin/env bash
# Scale-out load figures (benchmarks/RESULTS.md, "Scale-out"): one server embedded, one server on
# PostgreSQL + Redis, and two servers on the same PostgreSQL + Redis, loaded by wrk on the same
# machine (benchmarks/scale/ads.lua). Besides requests per second it reports the CPU time the
# servers and Redis spent per request (from /proc and INFO), which a busy shared machine
# disturbs much less than throughput, and Redis commands per request (INFO commandstats).
# Needs: wrk, redis-server, PostgreSQL on 127.0.0.1:5432 (trust), target/iklan.jar.
# Everything it starts (servers, its own Redis on a free port, a database) it stops or drops.
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-32}
work=$(mktemp -d)
pids=()
DB=iklan_bench
# shellcheck source=common.sh
source benchmarks/scale/common.sh
trap cleanup EXIT

start_server() { # port data-dir [env...]; sets $server_pid
  local port=$1 data=$2; shift 2
  env "$@" IKLAN_ADMIN_TOKEN=bench IKLAN_SECRET=bench-secret-of-enough-length \
    java -Xmx1g -jar target/iklan.jar --port "$port" --data-dir "$data" >"$data.log" 2>&1 &
  server_pid=$!
  pids+=("$server_pid")
  wait_up "$port"
  wrk -t1 -c4 -d8s -s benchmarks/scale/ads.lua "http://127.0.0.1:$port" >/dev/null # JIT warm-up
}
# measure NAME PIDS... -- URL...: runs wrk on each URL at once (CONNECTIONS split over them)
measure() {
  local name=$1; shift
  local server_pids=()
  while [ "$1" != "--" ]; do server_pids+=("$1"); shift; done; shift
  local urls=("$@") n=$#
  local before redis_before=0
  before=$(cpu_ticks "${server_pids[@]}")
  [ -n "${rport:-}" ] && redis-cli -p "$rport" CONFIG RESETSTAT >/dev/null && redis_before=$(redis_cpu_us)
  local i=0 wpids=()
  for u in "${urls[@]}"; do
    wrk -t$((2 / n)) -c$((CONNECTIONS / n)) -d"$DURATION" -s benchmarks/scale/ads.lua "$u" > "$work/wrk-$i.txt" &
    wpids+=($!); i=$((i + 1))
  done
  wait "${wpids[@]}"
  local after requests
  after=$(cpu_ticks "${server_pids[@]}")
  requests=$(cat "$work"/wrk-*.txt | grep RESULT | sed -E 's/.*requests=([0-9]+).*/\1/' | paste -sd+ | bc)
  echo "## $name"
  cat "$work"/wrk-*.txt | grep RESULT
  awk -v r="$requests" -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" \
    'BEGIN {printf "servers: %d requests, %.1f CPU s, %.0f requests per CPU second\n", r, t / hz, r / (t / hz)}'
  if [ -n "${rport:-}" ]; then
    redis_report "$requests" "$redis_before"
  fi
  rm -f "$work"/wrk-*.txt
}

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) before the runs"

# Every server stays up for the whole run, and the three set-ups take turns round after round,
# so that each sees the same share of whatever else the machine is doing.
start_redis
fresh_database
shared=(IKLAN_POSTGRES_URL=postgresql://postgres@127.0.0.1:5432/iklan_bench IKLAN_REDIS_URL=redis://127.0.0.1:$rport/0)

pe=$(free_port); start_server "$pe" "$work/embedded"; e=$server_pid
pa=$(free_port); start_server "$pa" "$work/shared-a" "${shared[@]}"; a=$server_pid
pb=$(free_port); start_server "$pb" "$work/shared-b" "${shared[@]}"; b=$server_pid

for round in $(seq 1 "${ROUNDS:-3}"); do
  echo "# round $round, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  rport_saved=$rport; rport=""
  measure "1 server, embedded" "$e" -- "http://127.0.0.1:$pe"
  rport=$rport_saved
  measure "1 server, PostgreSQL + Redis (the second server idle)" "$a" -- "http://127.0.0.1:$pa"
  measure "2 servers, PostgreSQL + Redis (wrk split over both)" "$a" "$b" -- "http://127.0.0.1:$pa" "http://127.0.0.1:$pb"
done
echo "postgres: $(psql -h 127.0.0.1 -U postgres -At -c "SELECT xact_commit FROM pg_stat_database WHERE datname='iklan_bench'" postgres) transactions in iklan_bench since it was created"
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) after the runs"
