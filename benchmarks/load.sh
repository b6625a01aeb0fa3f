#!/usr/bin/env bash
# Iklan against the bare Vert.x server on this machine (see benchmarks/LOAD.md):
#   benchmarks/load.sh [campaigns ...]        default: 10000
# Builds both jars, writes each rule file (checked by reading it back), then runs Compare.
# Results: benchmarks/results/<N>-compare.txt and .hgrm files. Extra Compare options can be
# passed in COMPARE_OPTS, e.g. COMPARE_OPTS="--jfr /tmp/iklan.jfr".
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q package -DskipTests
./mvnw -B -q -f benchmarks/pom.xml package
CP=benchmarks/target/benchmarks.jar
for n in "${@:-10000}"; do
  rules="benchmarks/target/rules-$n.json"
  java -Xmx4g -cp "$CP" id.iklan.load.WriteRules "$n" "$rules"
  # shellcheck disable=SC2086
  java -Xms1g -Xmx1g -cp "$CP" id.iklan.load.Compare --iklan-jar target/iklan.jar \
      --rules "$rules" --label "$n" --results benchmarks/results ${COMPARE_OPTS:-}
done
