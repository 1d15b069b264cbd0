#!/usr/bin/env bash
# The list API's latency at 10,000 tasks on each store, and what its index costs per task.
# Runs the list and stats routes' own code (TaskLists: what GET /v1/tasks and /v1/tasks/stats run,
# JSON included, without the HTTP transport) over memory, Redis (REDIS_URL, own key prefix) and
# DynamoDB's stand-in dynalite (a Node emulator: its latency is not DynamoDB's). Medians and p90.
# Usage: bench/list.sh [tasks (10000)] [rounds (30)] [stores (memory redis dynamodb)]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
TASKS="${1:-10000}"
ROUNDS="${2:-30}"
shift $(( $# > 2 ? 2 : $# ))
STORES=("${@:-memory redis dynamodb}")
[ -d node_modules ] || { echo "node_modules is missing: run ./test.sh (npm ci) first" >&2; exit 2; }
bench_machine

OUT=bench/results/list
rm -rf "$OUT" && mkdir -p "$OUT/classes"
./mvnw -B -q -pl service -am test-compile dependency:build-classpath -Dmdep.outputFile="$PWD/$OUT/deps.cp" -Dmdep.includeScope=test
CP="service/target/classes:service/target/test-classes:$(cat "$OUT/deps.cp")"
"$JAVA_HOME/bin/javac" --release 21 -d "$OUT/classes" -cp "$CP" bench/list/src/dev/longtasks/bench/*.java
# shellcheck disable=SC2206
STORE_ARGS=(${STORES[*]})
"$JAVA_HOME/bin/java" -Xmx1g -cp "$OUT/classes:$CP" dev.longtasks.bench.ListBench "$TASKS" "$ROUNDS" "${STORE_ARGS[@]}" \
  | tee "$OUT/summary.txt"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
