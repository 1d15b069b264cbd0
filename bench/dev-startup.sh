#!/usr/bin/env bash
# `taskctl dev` start-up: wall time from spawning `java -jar cli/target/taskctl-<v>.jar dev --port 0`
# to its start line on stderr, and to the first 200 on /v1/health; medians of RUNS fresh JVMs.
# The requirement: the start line within 1.5 s of launch on the 2-core machine.
#   RUNS=7 bench/dev-startup.sh [jar]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
RUNS="${RUNS:-7}"
JAR="${1:-$(ls cli/target/taskctl-*.jar | head -n1)}"
[ -f "$JAR" ] || { echo "no taskctl jar: run ./mvnw -B -DskipTests package first" >&2; exit 1; }
bench_machine
echo "jar: $JAR"

lines=() firsts=()
for i in $(seq 1 "$RUNS"); do
  log=$(mktemp /tmp/taskctl-dev-startup.XXXXXX)
  t0=$(date +%s%N)
  "$JAVA_HOME/bin/java" -jar "$JAR" dev --port 0 2>"$log" >/dev/null &
  pid=$!
  trap 'kill "$pid" 2>/dev/null || true' EXIT
  port=""
  until [ -n "$port" ]; do
    kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; echo "taskctl dev exited" >&2; exit 1; }
    port=$(sed -n 's/^taskctl dev: the task service is listening on http:\/\/localhost:\([0-9]*\).*/\1/p' "$log")
    [ -n "$port" ] || sleep 0.002
  done
  t1=$(date +%s%N)
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/v1/health")" = 200 ]; do sleep 0.002; done
  t2=$(date +%s%N)
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -f "$log"
  lines+=($(( (t1 - t0) / 1000000 ))) firsts+=($(( (t2 - t0) / 1000000 )))
  echo "run $i: start line ${lines[-1]} ms, first 200 ${firsts[-1]} ms"
done
echo "RESULT median of $RUNS: start line $(printf '%s\n' "${lines[@]}" | median) ms, first 200 $(printf '%s\n' "${firsts[@]}" | median) ms"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
