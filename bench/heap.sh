#!/usr/bin/env bash
# Heap under sustained submit load: wrk POSTs example tasks for 60 s while the live heap (after a
# forced full GC) is sampled every 5 s with jcmd. Bounded means the series levels off: the memory
# store evicts finished tasks past TASKS_MEMORY_MAX_TASKS (default 200,000) and expired ones by TTL.
# Usage: bench/heap.sh [seconds (60)] [interval (5)]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
seconds=${1:-60}
interval=${2:-5}
need_wrk
bench_machine

start_server
echo "server: $SERVER_URL (pid $SERVER_PID, log: $SERVER_LOG, TASKS_MEMORY_MAX_TASKS=${TASKS_MEMORY_MAX_TASKS:-200000})"
live_heap_mb() {
  "$JAVA_HOME/bin/jcmd" "$SERVER_PID" GC.run >/dev/null
  "$JAVA_HOME/bin/jcmd" "$SERVER_PID" GC.heap_info | sed -n 's/.* used \([0-9]*\)K.*/\1/p' | head -1 | awk '{printf "%.1f", $1/1024}'
}
echo "t=0s live heap $(live_heap_mb) MB"
wrk_out=$(mktemp /tmp/longtasks-bench-wrk.XXXXXX)
wrk -t2 -c64 -d"${seconds}s" -s bench/post-example.lua "$SERVER_URL/v1/example/process-task" >"$wrk_out" &
wrk_pid=$!
series=()
start=$SECONDS
while kill -0 "$wrk_pid" 2>/dev/null; do
  sleep "$interval"
  kill -0 "$wrk_pid" 2>/dev/null || break
  mb=$(live_heap_mb)
  series+=("$mb")
  echo "t=$((SECONDS - start))s live heap ${mb} MB"
done
wait "$wrk_pid"
echo "after the load: live heap $(live_heap_mb) MB"
requests=$(awk '/requests in/ {print $1}' "$wrk_out")
non2xx=$(awk '/Non-2xx/ {print $5}' "$wrk_out")
echo "RESULT heap series (MB, every ${interval}s): ${series[*]}; ${requests} submits in ${seconds}s${non2xx:+, non-2xx ${non2xx}}"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -f "$wrk_out"
