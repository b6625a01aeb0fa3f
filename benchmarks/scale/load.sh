#!/usr/bin/env bash
# Scale-out figures with the project's own open-loop load generator (benchmarks/RESULTS.md,
# "Scale-out"): the workload publisher's rules (10,000 campaigns by default, a share of them
# capped) and its request stream, against
#   1. one server, embedded (no shared services),
#   2. one server on PostgreSQL + Redis,
#   3. two servers on the same PostgreSQL + Redis, the load split round-robin over both
#      (every reader's pages reach both servers in turn, as behind a load balancer).
# For each: a find-max search (p99 <= MAX_P99_MS), then RATE requests/s for DURATION seconds,
# with the servers' CPU time per request (/proc), Redis CPU time and commands per request
# (INFO cpu / commandstats).
#
#   benchmarks/scale/load.sh                 # CAMPAIGNS=10000 RATE=2000 DURATION=30 MAX_P99_MS=20
#   FIND_MAX=0 RATE=200 DURATION=3 benchmarks/scale/load.sh   # a quick check, no find-max
#
# Needs target/iklan.jar, benchmarks/target/benchmarks.jar, redis-server, and PostgreSQL on
# 127.0.0.1:5432 (trust). It starts its own Redis on a free port (no persistence) and its own
# database, and removes both at the end; the servers get fresh data directories.
set -euo pipefail
cd "$(dirname "$0")/../.."
CAMPAIGNS=${CAMPAIGNS:-10000}
RATE=${RATE:-2000}
DURATION=${DURATION:-30}
MAX_P99_MS=${MAX_P99_MS:-20}
FIND_MAX=${FIND_MAX:-1}      # 0: only the fixed-rate runs (a quick check of the set-ups)
CP=benchmarks/target/benchmarks.jar
work=$(mktemp -d)
pids=()
DB=iklan_load
# shellcheck source=common.sh
source benchmarks/scale/common.sh
trap cleanup EXIT

rules="benchmarks/target/rules-$CAMPAIGNS.json"
[ -f "$rules" ] || java -Xmx4g -cp "$CP" id.iklan.load.WriteRules "$CAMPAIGNS" "$rules"
rules=$(realpath "$rules")

start_server() { # name port [extra config members]; sets $server_pid
  local name=$1 port=$2 extra=${3:-}
  mkdir -p "$work/$name"
  cat > "$work/$name/iklan.json" <<EOF
{"port": $port, "host": "127.0.0.1", "dataDir": "$work/$name/data", "rules": "$rules",
 "publisherTimeZone": "Asia/Jakarta", "tmaxDefaultMs": 100, "eventLoops": 0,
 "geo": {"trustEdgeHeaders": true, "countryHeader": "X-Geo-Country",
         "regionHeader": "X-Geo-Region", "cityHeader": "X-Geo-City"}$extra}
EOF
  IKLAN_ADMIN_TOKEN=load-admin IKLAN_SECRET=load-secret-of-enough-length \
    java -Xms1g -Xmx1g -jar target/iklan.jar --config "$work/$name/iklan.json" \
    >"$work/$name.log" 2>&1 &
  server_pid=$!
  pids+=("$server_pid")
  wait_up "$port"
}

# measure NAME "SERVER PIDS" PORTS(comma-separated) [redis]
measure() {
  local name=$1 server_pids=$2 ports=$3 with_redis=${4:-}
  echo
  echo "## $name"
  if [ "$FIND_MAX" = 1 ]; then
    java -Xms512m -Xmx512m -cp "$CP" id.iklan.load.LoadGenerator --ports "$ports" --find-max \
      --max-p99-ms "$MAX_P99_MS" | grep -E "^step|max rate|no step" || true
  fi
  local before redis_before=0
  # shellcheck disable=SC2086
  before=$(cpu_ticks $server_pids)
  if [ -n "$with_redis" ]; then
    redis-cli -p "$rport" CONFIG RESETSTAT >/dev/null
    redis_before=$(redis_cpu_us)
  fi
  java -Xms512m -Xmx512m -cp "$CP" id.iklan.load.LoadGenerator --ports "$ports" \
    --rate "$RATE" --duration "$DURATION" --warmup 5 | tee "$work/run.txt" | grep -v "^target"
  local after requests
  # shellcheck disable=SC2086
  after=$(cpu_ticks $server_pids)
  requests=$(grep -oE 'sent [0-9]+' "$work/run.txt" | awk '{print $2}')
  requests=$(( requests + RATE * 5 )) # the warm-up's requests were in the CPU window too
  awk -v r="$requests" -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" \
    'BEGIN {printf "servers: %.1f CPU us per request (warm-up and run: %d requests, %.1f CPU s)\n", t / hz * 1e6 / r, r, t / hz}'
  if [ -n "$with_redis" ]; then
    redis_report "$requests" "$redis_before"
  fi
}

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); rules $rules"
echo "fixed-rate runs: $RATE requests/s for $DURATION s after a 5 s warm-up; find-max p99 <= $MAX_P99_MS ms"

pe=$(free_port); start_server embedded "$pe"
measure "1 server, embedded" "$server_pid" "$pe"
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true

start_redis
fresh_database
shared=", \"postgresUrl\": \"postgresql://postgres@127.0.0.1:5432/iklan_load\", \"redisUrl\": \"redis://127.0.0.1:$rport/0\""

pa=$(free_port); start_server shared-a "$pa" "$shared"; a=$server_pid
measure "1 server, PostgreSQL + Redis" "$a" "$pa" redis
pb=$(free_port); start_server shared-b "$pb" "$shared"; b=$server_pid
measure "2 servers, PostgreSQL + Redis, round-robin" "$a $b" "$pa,$pb" redis
echo
echo "postgres: $(psql -h 127.0.0.1 -U postgres -At -c "SELECT xact_commit FROM pg_stat_database WHERE datname='iklan_load'" postgres) transactions in iklan_load since it was created"
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) after the runs"
