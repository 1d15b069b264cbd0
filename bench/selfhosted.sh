#!/usr/bin/env bash
# Self-hosted end-to-end benchmark: one API process and two worker processes on Redis + RabbitMQ,
# 10,000 noop tasks submitted over HTTP by 64 concurrent clients, RUNS times (default 3).
# Prints one JSON line per run and appends them to bench/results/selfhosted-<time>.jsonl.
#
# Usage: bench/selfhosted.sh
#   REDIS_URL / AMQP_URL   the servers (default redis://127.0.0.1:6379, amqp://guest:guest@127.0.0.1:5672)
#   RUNS=3 TASKS=10000 CLIENTS=64 WORKERS=64 PORT=4300   the shape of the run
#   JAVA_OPTS              extra JVM options for the three service processes
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/jdk.sh

RUNS=${RUNS:-3}
TASKS=${TASKS:-10000}
CLIENTS=${CLIENTS:-64}
WORKERS=${WORKERS:-64}
PORT=${PORT:-4300}
run_id="longtasks-bench-$(date +%s)-$$"
results="bench/results/selfhosted-$(date -u +%Y%m%dT%H%M%SZ).jsonl"
mkdir -p bench/results

echo "building the service module..." >&2
./mvnw -q -B -DskipTests package -pl service -am
./mvnw -q -B dependency:build-classpath -pl service -Dmdep.includeScope=runtime -Dmdep.outputFile=target/classpath.txt >/dev/null
cp="service/target/service-0.1.0.jar:$(cat service/target/classpath.txt)"

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  "$JAVA_HOME/bin/java" -cp "$cp" bench/SelfHostedCleanup.java "$run_id" || true
}
trap cleanup EXIT

start() { # role log-name
  env TASKS_ROLE="$1" PORT="$PORT" HOST=127.0.0.1 TASKS_STORE=redis TASKS_BUS=rabbitmq \
      TASKS_REDIS_PREFIX="$run_id:" TASKS_AMQP_EXCHANGE="$run_id.events" TASKS_AMQP_QUEUE="$run_id.tasks" \
      TASKS_WORKERS="$WORKERS" TASKS_SHUTDOWN_GRACE_SECONDS=5 \
      "$JAVA_HOME/bin/java" ${JAVA_OPTS:-} -cp "$cp" dev.longtasks.local.LocalMain >"bench/results/$2.log" 2>&1 &
  pids+=($!)
}
start worker worker-1
start worker worker-2
start api api
for _ in $(seq 1 100); do
  grep -q "listening on" bench/results/api.log 2>/dev/null && break
  sleep 0.2
done
grep -q "listening on" bench/results/api.log || { echo "the API did not start:" >&2; cat bench/results/api.log >&2; exit 1; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
# A short warm-up so the JIT has compiled the hot paths before the measured runs.
"$JAVA_HOME/bin/java" bench/SelfHostedLoad.java "http://127.0.0.1:$PORT" 2000 "$CLIENTS" noop >/dev/null
# CPU time (user + system, in clock ticks) a process has used so far.
ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
redis_pid=$(pgrep -x redis-server | head -n1 || true)
broker_pid=$(pgrep -f beam.smp | head -n1 || true)
hz=$(getconf CLK_TCK)
# The machine is shared, so wall-clock throughput depends on what else runs. CPU time per task
# of each process does not, and says what two idle cores could sustain.
for i in $(seq 1 "$RUNS"); do
  before=()
  for p in "${pids[@]}" ${redis_pid:-} ${broker_pid:-}; do before+=("$(ticks "$p")"); done
  line=$("$JAVA_HOME/bin/java" bench/SelfHostedLoad.java "http://127.0.0.1:$PORT" "$TASKS" "$CLIENTS" noop)
  load=$(cut -d' ' -f1 /proc/loadavg)
  cpu=() k=0
  for p in "${pids[@]}" ${redis_pid:-} ${broker_pid:-}; do
    cpu+=("$(awk -v a="${before[$k]}" -v b="$(ticks "$p")" -v hz="$hz" -v n="$TASKS" 'BEGIN{printf "%.3f", (b-a)*1000/hz/n}')")
    k=$((k+1))
  done
  # pids: worker-1 worker-2 api, then redis and the broker when found (the broker is shared with other users).
  echo "${line%\}},\"run\":$i,\"loadavg_1m\":$load,\"cpu_ms_per_task\":{\"worker_1\":${cpu[0]},\"worker_2\":${cpu[1]},\"api\":${cpu[2]},\"redis\":${cpu[3]:-null},\"rabbitmq\":${cpu[4]:-null}}}" | tee -a "$results"
done
echo "results: $results" >&2
