#!/usr/bin/env bash
# The self-hosted soak; run it as `bench/soak.sh --selfhosted [SECONDS] [SUBMITS_PER_SECOND]` (see there).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

# All in one function: bash reads the whole of it before running, so an edit of this file during
# a run cannot change what the run does.
main() {

DURATION=${1:-600}
RATE=${2:-100}
FAULT=${SOAK_PUBLISH_FAILURE_PERCENT:-1}
KILL_EVERY=${SOAK_KILL_EVERY:-60}
DRAIN=${SOAK_DRAIN_SECONDS:-300}
PORT=${PORT:-$("$JAVA_HOME/bin/java" -XX:TieredStopAtLevel=1 bench/FreePort.java)}
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=bench/results
mkdir -p "$OUT"
logs=$(mktemp -d /tmp/longtasks-soak-selfhosted.XXXXXX)

./mvnw -q -B -DskipTests package -pl service -am
./mvnw -q -B dependency:build-classpath -pl service -Dmdep.includeScope=runtime -Dmdep.outputFile=target/classpath.txt >/dev/null
# A copy of the jar: the workers restarted during the run must not load one a later build rewrites.
cp service/target/service-0.1.0.jar "$logs/service.jar"
cp="$logs/service.jar:$(cat service/target/classpath.txt)"

run_id=""
killer=""
stop_all() {
  if [ -n "$killer" ]; then kill "$killer" 2>/dev/null || true; wait "$killer" 2>/dev/null || true; killer=""; fi
  for f in "$logs"/*.pid; do
    [ -e "$f" ] || continue
    kill "$(cat "$f")" 2>/dev/null || true
  done
  for f in "$logs"/*.pid; do
    [ -e "$f" ] || continue
    while kill -0 "$(cat "$f")" 2>/dev/null; do sleep 0.2; done
    rm -f "$f"
  done
  if [ -n "$run_id" ]; then "$JAVA_HOME/bin/java" -cp "$cp" bench/SelfHostedCleanup.java "$run_id" || true; fi
  run_id=""
}
trap stop_all EXIT

start() { # role name fault-percent
  env TASKS_ROLE="$1" PORT="$PORT" HOST=127.0.0.1 TASKS_STORE=redis TASKS_BUS=rabbitmq \
      TASKS_REDIS_PREFIX="$run_id:" TASKS_AMQP_EXCHANGE="$run_id.events" TASKS_AMQP_QUEUE="$run_id.tasks" \
      TASKS_WORKERS=64 TASKS_SHUTDOWN_GRACE_SECONDS=5 TASKS_LEASE_SECONDS=10 \
      TASKS_DISPATCH_GRACE_SECONDS=10 TASKS_RECONCILE_INTERVAL_SECONDS=10 TASKS_TTL_SECONDS=1800 \
      TASKS_FAULT_PUBLISH_FAILURE_PERCENT="$3" \
      "$JAVA_HOME/bin/java" -Xmx256m -cp "$cp" dev.longtasks.local.LocalMain >>"$logs/$2.log" 2>&1 &
  echo $! >"$logs/$2.pid"
}

# Every KILL_EVERY seconds: SIGKILL worker-1, then worker-2 the next time, ..., and start it again.
kill_loop() { # fault-percent
  local n=0
  while true; do
    sleep "$KILL_EVERY"
    n=$((n + 1))
    local w="worker-$(( (n - 1) % 2 + 1 ))"
    kill -9 "$(cat "$logs/$w.pid")" 2>/dev/null || true
    echo "$(date -u +%H:%M:%S) SIGKILL $w" >>"$logs/kills.log"
    start worker "$w" "$1"
  done
}

phase() { # name fault-percent kill-every
  local name=$1 fault=$2 every=$3
  run_id="longtasks-soak-$STAMP-$name"
  : >"$logs/kills.log"
  start worker worker-1 "$fault"
  start worker worker-2 "$fault"
  start api api "$fault"
  for _ in $(seq 1 300); do
    grep -q "listening on" "$logs/api.log" 2>/dev/null && break
    sleep 0.2
  done
  grep -q "listening on" "$logs/api.log" || { cat "$logs/api.log" >&2; echo "the API process did not start" >&2; exit 1; }
  echo "== $name: ${DURATION}s at ${RATE} submits/s; publish failures ${fault} %; worker SIGKILL every ${every:-never} s; load average $(cut -d' ' -f1-3 /proc/loadavg)"
  if [ -n "$every" ]; then
    kill_loop "$fault" &
    killer=$!
  fi
  local rc=0
  "$JAVA_HOME/bin/java" bench/Soak.java "http://127.0.0.1:$PORT" "$DURATION" - "$OUT/soak-selfhosted-$STAMP-$name.json" "$RATE" "$DRAIN" || rc=$?
  if [ -n "$killer" ]; then kill "$killer" 2>/dev/null || true; wait "$killer" 2>/dev/null || true; killer=""; fi
  echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg); workers SIGKILLed: $(wc -l <"$logs/kills.log");" \
    "publishes failed on purpose: $(cat "$logs"/*.log | grep -c 'fault injected' || true) (log lines)"
  mkdir -p "$logs/$name"
  stop_all
  mv "$logs"/*.log "$logs/$name/" 2>/dev/null || true
  return "$rc"
}

bench_machine
echo "logs in $logs"
rc=0
phase faults "$FAULT" "$KILL_EVERY" || rc=1
phase clean 0 "" || rc=1
f="$OUT/soak-selfhosted-$STAMP-faults.json"
c="$OUT/soak-selfhosted-$STAMP-clean.json"
num() { sed -n "s/.*\"$2\":\([0-9.]*\).*/\1/p" "$1"; }
ratio=$(awk -v a="$(num "$f" submits_per_s)" -v b="$(num "$c" submits_per_s)" 'BEGIN{printf "%.3f", (b > 0 ? a / b : 0)}')
echo "RESULT self-hosted soak ${DURATION}s x 2: with faults lost $(num "$f" lost) stranded $(num "$f" stranded)" \
  "$(num "$f" submits_per_s) submits/s; without faults lost $(num "$c" lost) stranded $(num "$c" stranded)" \
  "$(num "$c" submits_per_s) submits/s; ratio $ratio"
echo "results: $f $c"
awk -v r="$ratio" 'BEGIN{exit !(r >= 0.9)}' || { echo "submits/s with faults is below 90 % of the run without" >&2; rc=1; }
return "$rc"
}

main "$@"
