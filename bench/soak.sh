#!/usr/bin/env bash
# Soak: mixed submit/get/cancel load on the embedded local server (memory store, in-process bus),
# recording throughput and heap-after-GC every 30 s; fails if any task is lost or stuck, or any 5xx.
#
# Usage: bench/soak.sh [SECONDS=600] [SUBMITS_PER_SECOND=100]
# Output: a table on stdout, bench/results/soak-<UTC time>.json, the server log next to it.
#
# The store keeps tasks for TASKS_TTL_SECONDS=120 (not the default 3600) so the live set reaches
# its steady state after two minutes; with a 1 h TTL the heap grows by design until the window fills.
#
# bench/soak.sh --selfhosted [SECONDS=600] [SUBMITS_PER_SECOND=100]
#   One API process and two worker processes on Redis + RabbitMQ (as bench/selfhosted.sh starts
#   them), run twice at the same offered rate: first with faults (a worker SIGKILLed and restarted
#   every SOAK_KILL_EVERY=60 s, in turn, and TASKS_FAULT_PUBLISH_FAILURE_PERCENT=SOAK_PUBLISH_FAILURE_PERCENT=1
#   on all three), then without. After each run the driver polls every accepted task until it ends
#   (up to SOAK_DRAIN_SECONDS=300; the reconciler re-publishes the tasks whose event a fault lost
#   and those a killed worker held). Reports lost, stranded and submits/s of both runs and their
#   ratio; exits 1 if anything was lost or stranded, or the ratio is below 0.9.
#   REDIS_URL / AMQP_URL as for bench/selfhosted.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/jdk.sh

if [ "${1:-}" = "--selfhosted" ]; then
  shift
  exec bench/soak-selfhosted.sh "$@"
fi

DURATION=${1:-600}
RATE=${2:-100}
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=bench/results
mkdir -p "$OUT"

./mvnw -B -q -pl service -am -DskipTests package
CP_FILE=$(mktemp)
./mvnw -B -q -pl service dependency:build-classpath -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=runtime
CP="service/target/classes:$(cat "$CP_FILE")"
rm -f "$CP_FILE"

PORT=${SOAK_PORT:-$("$JAVA_HOME/bin/java" -XX:TieredStopAtLevel=1 bench/FreePort.java)}
PORT=$PORT TASKS_TTL_SECONDS=120 "$JAVA_HOME/bin/java" -Xms256m -Xmx256m -XX:+UseG1GC \
  -cp "$CP" dev.longtasks.local.LocalMain >"$OUT/soak-$STAMP-server.log" 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true' EXIT

for _ in $(seq 1 100); do
  if curl -fsS "http://127.0.0.1:$PORT/v1/health" >/dev/null 2>&1; then break; fi
  sleep 0.2
done
curl -fsS "http://127.0.0.1:$PORT/v1/health" >/dev/null

echo "soak: ${DURATION}s at ${RATE} submits/s against http://127.0.0.1:$PORT (server pid $SERVER, -Xmx256m)"
echo "machine: $(nproc) cores, $(uname -sr), $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
"$JAVA_HOME/bin/java" bench/Soak.java "http://127.0.0.1:$PORT" "$DURATION" "$SERVER" "$OUT/soak-$STAMP.json" "$RATE"
echo "results: $OUT/soak-$STAMP.json"
