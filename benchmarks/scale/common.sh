# Helpers shared by benchmarks/scale/run.sh (wrk) and benchmarks/scale/load.sh (the project's
# load generator). Sourced, not run. Callers keep the PIDs of what they start in the array
# `pids`, the name of their database in DB, and their scratch directory in `work`; `rport` is
# the port of their own Redis once started.

cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  psql -h 127.0.0.1 -U postgres -q -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" postgres || true
  rm -rf "$work"
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# wait_up PORT: until /health answers (2 minutes at most)
wait_up() { for _ in $(seq 1 600); do curl -fs "http://127.0.0.1:$1/health" >/dev/null 2>&1 && return; sleep 0.2; done; echo "server on $1 did not start"; exit 1; }
# cpu_ticks PID...: user + system clock ticks of the processes so far
cpu_ticks() { local t=0; for p in "$@"; do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done; echo "$t"; }
redis_cpu_us() { redis-cli -p "$rport" INFO cpu | tr -d '\r' | awk -F: '/^used_cpu_(user|sys):/ {s += $2} END {printf "%.0f", s * 1e6}'; }
redis_calls() { redis-cli -p "$rport" INFO commandstats | tr -d '\r' | grep '^cmdstat_' \
  | sed -E 's/^cmdstat_([a-z|]+):calls=([0-9]+),usec=[0-9]+,usec_per_call=([0-9.]+).*/\1 \2 \3/'; }
# redis_report REQUESTS REDIS_US_BEFORE: Redis CPU and commands per request since RESETSTAT
redis_report() {
  awk -v r="$1" -v us=$(( $(redis_cpu_us) - $2 )) \
    'BEGIN {printf "redis: %.1f CPU us per request\n", us / r}'
  redis_calls | awk -v r="$1" '$1 != "config|resetstat" && $1 != "info" {printf "redis %s: %.2f per request (%s us each)\n", $1, $2 / r, $3}'
}
# start_redis: a Redis of our own on a free port (no persistence); sets rport
start_redis() {
  rport=$(free_port)
  mkdir -p "$work/redis"
  redis-server --port "$rport" --bind 127.0.0.1 --save "" --appendonly no --dir "$work/redis" \
    --logfile redis.log --daemonize no >/dev/null 2>&1 &
  pids+=($!)
  sleep 0.5
}
# fresh_database: drops and creates $DB
fresh_database() {
  psql -h 127.0.0.1 -U postgres -q -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" \
    -c "CREATE DATABASE $DB" postgres 2>/dev/null
}
