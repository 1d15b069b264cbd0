#!/usr/bin/env bash
# End-to-end throughput against the embedded local server (memory store, in-process bus):
# 10,000 noop tasks from 64 clients over HTTP until all are SUCCEEDED, 3 rounds, medians.
# Usage: bench/e2e.sh [rounds (3)] [tasks (10000)] [clients (64)]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
rounds=${1:-3}
tasks=${2:-10000}
clients=${3:-64}
bench_machine

start_server
echo "server: $SERVER_URL (log: $SERVER_LOG)"
# Warm-up round (not counted): lets the JIT compile the submit, run and poll paths.
"$JAVA_HOME/bin/java" bench/E2eLoad.java --url "$SERVER_URL" --tasks 5000 --clients "$clients" --type noop >/dev/null

tps=(); p50=(); p99=()
for r in $(seq 1 "$rounds"); do
  out=$("$JAVA_HOME/bin/java" bench/E2eLoad.java --url "$SERVER_URL" --tasks "$tasks" --clients "$clients" --type noop --json)
  echo "round $r: $out" >&2
  tps+=("$(sed -n 's/.*"tasks_per_second":\([0-9.]*\).*/\1/p' <<<"$out")")
  p50+=("$(sed -n 's/.*"p50":\([0-9.]*\).*/\1/p' <<<"$out")")
  p99+=("$(sed -n 's/.*"p99":\([0-9.]*\).*/\1/p' <<<"$out")")
done
echo "RESULT e2e median of $rounds x $tasks noop tasks, $clients clients: $(printf '%s\n' "${tps[@]}" | median) tasks/s," \
  "latency p50 $(printf '%s\n' "${p50[@]}" | median) ms, p99 $(printf '%s\n' "${p99[@]}" | median) ms"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
