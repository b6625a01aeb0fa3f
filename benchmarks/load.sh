#!/usr/bin/env bash
# Iklan against the bare Vert.x server on this machine (see benchmarks/LOAD.md):
#   benchmarks/load.sh [campaigns ...]        default: 10000
# Builds both jars, writes each rule file (checked by reading it back), then runs Compare.
# Results: benchmarks/results/<N>-compare.txt and .hgrm files. Extra Compare options can be
# passed in COMPARE_OPTS, e.g. COMPARE_OPTS="--jfr /tmp/iklan.jfr".
#
# On a machine shared with other jobs, LOAD_NICE=-10 (root only) runs everything in a scheduling
# group of its own at that niceness, so that other sessions' processes disturb the measurement
# less (Linux autogroups: plain `nice` only ranks processes within one session).
set -euo pipefail
if [[ -n "${LOAD_NICE:-}" && -z "${LOAD_NICED:-}" ]]; then
  export LOAD_NICED=1
  exec setsid bash -c 'echo "$LOAD_NICE" > /proc/$$/autogroup 2>/dev/null || true
                       exec nice -n "$LOAD_NICE" "$0" "$@"' "$0" "$@"
fi
cd "$(dirname "$0")/.."
./mvnw -B -q package -DskipTests
./mvnw -B -q -f benchmarks/pom.xml package
CP=benchmarks/target/benchmarks.jar
for n in "${@:-10000}"; do
  rules="benchmarks/target/rules-$n.json"
  java -Xmx4g -cp "$CP" id.iklan.load.WriteRules "$n" "$rules"
  # shellcheck disable=SC2086
  java -Xms1g -Xmx1g -XX:+AlwaysPreTouch -cp "$CP" id.iklan.load.Compare --iklan-jar target/iklan.jar \
      --rules "$rules" --label "$n" --results benchmarks/results ${COMPARE_OPTS:-}
done
