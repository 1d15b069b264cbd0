#!/usr/bin/env bash
# Local server throughput and latency with wrk: GET /v1/tasks/{id} and POST /v1/example/process-task.
# Usage: bench/http.sh [rounds (3)] [duration (15s)]
# Extra server settings may be passed in the environment, e.g. JAVA_OPTS=... bench/http.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
rounds=${1:-3}
duration=${2:-15s}
need_wrk
bench_machine

start_server
echo "server: $SERVER_URL (log: $SERVER_LOG)"
task=$(curl -s -XPOST "$SERVER_URL/v1/tasks" -H 'content-type: application/json' -d '{"type":"noop","data":{}}' \
  | sed -n 's/.*"task_id":"\([^"]*\)".*/\1/p')
[ -n "$task" ] || { echo "seeding a task failed" >&2; exit 1; }

# One short warm-up per route so the JIT has compiled the hot paths before measuring.
wrk -t2 -c64 -d5s "$SERVER_URL/v1/tasks/$task" >/dev/null
wrk -t2 -c64 -d5s -s bench/post-example.lua "$SERVER_URL/v1/example/process-task" >/dev/null

# The server's CPU time per request (user + system, from /proc) is steadier than req/s when other
# processes share the cores: it is what the server spends, not what it was given.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$SERVER_PID/stat"; }

run() { # name, wrk args...
  local name=$1; shift
  local out rps p50 p99 non2xx before requests cpu
  before=$(cpu_ticks)
  out=$(wrk -t2 -c64 -d"$duration" --latency "$@")
  requests=$(awk '/requests in/ {print $1}' <<<"$out")
  cpu=$(awk -v a="$before" -v b="$(cpu_ticks)" -v n="$requests" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.1f", (b - a) * 1e6 / hz / n}')
  rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $5}' <<<"$out")
  echo "$name round: ${rps} req/s, p50 ${p50}, p99 ${p99}, server CPU ${cpu} us/request${non2xx:+, non-2xx ${non2xx}}" >&2
  echo "$rps $p50 $p99 $cpu"
}

to_ms() { # wrk prints 1.23ms / 456.00us / 1.02s
  sed -E 's/([0-9.]+)us/\1 0.001/; s/([0-9.]+)ms/\1 1/; s/([0-9.]+)s/\1 1000/' | awk '{printf "%.2f\n", $1*$2}'
}

for route in GET POST; do
  results=()
  for _ in $(seq 1 "$rounds"); do
    if [ "$route" = GET ]; then
      results+=("$(run "GET /v1/tasks/{id}" "$SERVER_URL/v1/tasks/$task")")
    else
      results+=("$(run "POST /v1/example/process-task" -s bench/post-example.lua "$SERVER_URL/v1/example/process-task")")
    fi
  done
  rps=$(printf '%s\n' "${results[@]}" | awk '{print $1}' | median)
  p50=$(printf '%s\n' "${results[@]}" | awk '{print $2}' | to_ms | median)
  p99=$(printf '%s\n' "${results[@]}" | awk '{print $3}' | to_ms | median)
  cpu=$(printf '%s\n' "${results[@]}" | awk '{print $4}' | median)
  echo "RESULT $route median of $rounds x $duration: $rps req/s, p50 ${p50} ms, p99 ${p99} ms, server CPU ${cpu} us/request"
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
