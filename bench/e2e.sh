#!/usr/bin/env bash
# End-to-end throughput against the embedded local server (memory store, in-process bus):
# 10,000 noop tasks from 64 clients over HTTP until all are SUCCEEDED, 3 rounds, medians.
# Usage: bench/e2e.sh [rounds (3)] [tasks (10000)] [clients (64)]
#        bench/e2e.sh --reconciler-ab [rounds (5)] [tasks (10000)] [clients (64)]
#   The reconciler's cost: two servers in one run, one reconciling every second
#   (TASKS_RECONCILE_INTERVAL_SECONDS=1, the most often it can; the default is 60) and one without
#   it (0); rounds alternate between them (on, off, on, off, ...) so both see the same machine;
#   medians of each, and their ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
ab=0
if [ "${1:-}" = "--reconciler-ab" ]; then
  ab=1
  shift
fi
rounds=${1:-$([ "$ab" = 1 ] && echo 5 || echo 3)}
tasks=${2:-10000}
clients=${3:-64}
bench_machine

field() { sed -n "s/.*\"$1\":\([0-9.]*\).*/\1/p" <<<"$2"; }

if [ "$ab" = 1 ]; then
  start_server TASKS_RECONCILE_INTERVAL_SECONDS=1
  on_url=$SERVER_URL on_pid=$SERVER_PID on_log=$SERVER_LOG
  trap - EXIT
  start_server TASKS_RECONCILE_INTERVAL_SECONDS=0
  off_url=$SERVER_URL off_pid=$SERVER_PID
  trap 'kill "$on_pid" "$off_pid" 2>/dev/null || true; wait 2>/dev/null || true' EXIT
  echo "reconciler on (every 1 s): $on_url; off: $off_url"
  for url in "$on_url" "$off_url"; do
    "$JAVA_HOME/bin/java" bench/E2eLoad.java --url "$url" --tasks 5000 --clients "$clients" --type noop >/dev/null
  done
  on_tps=(); off_tps=(); on_p99=(); off_p99=()
  for r in $(seq 1 "$rounds"); do
    for side in on off; do
      url=$([ "$side" = on ] && echo "$on_url" || echo "$off_url")
      out=$("$JAVA_HOME/bin/java" bench/E2eLoad.java --url "$url" --tasks "$tasks" --clients "$clients" --type noop --json)
      echo "round $r reconciler $side: $out (load $(cut -d' ' -f1 /proc/loadavg))" >&2
      if [ "$side" = on ]; then
        on_tps+=("$(field tasks_per_second "$out")"); on_p99+=("$(field p99 "$out")")
      else
        off_tps+=("$(field tasks_per_second "$out")"); off_p99+=("$(field p99 "$out")")
      fi
    done
  done
  on_m=$(printf '%s\n' "${on_tps[@]}" | median)
  off_m=$(printf '%s\n' "${off_tps[@]}" | median)
  passes=$(grep -c "reconciler:" "$on_log" || true)
  echo "RESULT e2e reconciler A/B, median of $rounds x $tasks noop tasks, $clients clients, alternating:" \
    "on (every 1 s) $on_m tasks/s (p99 $(printf '%s\n' "${on_p99[@]}" | median) ms)," \
    "off $off_m tasks/s (p99 $(printf '%s\n' "${off_p99[@]}" | median) ms);" \
    "on/off $(awk -v a="$on_m" -v b="$off_m" 'BEGIN{printf "%.3f", a / b}'); passes that acted: $passes"
  echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
  exit 0
fi

start_server
echo "server: $SERVER_URL (log: $SERVER_LOG)"
# Warm-up round (not counted): lets the JIT compile the submit, run and poll paths.
"$JAVA_HOME/bin/java" bench/E2eLoad.java --url "$SERVER_URL" --tasks 5000 --clients "$clients" --type noop >/dev/null

tps=(); p50=(); p99=()
for r in $(seq 1 "$rounds"); do
  out=$("$JAVA_HOME/bin/java" bench/E2eLoad.java --url "$SERVER_URL" --tasks "$tasks" --clients "$clients" --type noop --json)
  echo "round $r: $out" >&2
  tps+=("$(field tasks_per_second "$out")")
  p50+=("$(field p50 "$out")")
  p99+=("$(field p99 "$out")")
done
echo "RESULT e2e median of $rounds x $tasks noop tasks, $clients clients: $(printf '%s\n' "${tps[@]}" | median) tasks/s," \
  "latency p50 $(printf '%s\n' "${p50[@]}" | median) ms, p99 $(printf '%s\n' "${p99[@]}" | median) ms"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
