#!/usr/bin/env bash
# Self-hosted end-to-end benchmark: one API process and two worker processes on Redis + RabbitMQ,
# 10,000 noop tasks submitted over HTTP by 64 concurrent clients (bench/E2eLoad.java), 3 rounds
# after a warm-up, medians. Each round also reports the CPU time every process used per task: the
# machine is shared, so wall-clock figures depend on what else runs, CPU time per task much less.
#
# Usage: bench/selfhosted.sh [rounds (3)] [tasks (10000)] [clients (64)]
#   REDIS_URL / AMQP_URL   the servers (default redis://127.0.0.1:6379, amqp://guest:guest@127.0.0.1:5672)
#   WORKERS=64 PORT=4300   tasks per worker process at once; the API's port
#   JAVA_OPTS              JVM options of the three service processes (default: none, the JVM's defaults)
#   SERVICE_JAR            run this service jar instead of building one (bench/selfhosted-ab.sh uses it)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
rounds=${1:-3}
tasks=${2:-10000}
clients=${3:-64}
WORKERS=${WORKERS:-64}
PORT=${PORT:-4300}
JAVA_OPTS=${JAVA_OPTS:-}
run_id="longtasks-bench-$(date +%s)-$$"
logs=$(mktemp -d /tmp/longtasks-bench-selfhosted.XXXXXX)

if [ -z "${SERVICE_JAR:-}" ]; then
  ./mvnw -q -B -DskipTests package -pl service -am
fi
./mvnw -q -B dependency:build-classpath -pl service -Dmdep.includeScope=runtime -Dmdep.outputFile=target/classpath.txt >/dev/null
cp="${SERVICE_JAR:-service/target/service-0.1.0.jar}:$(cat service/target/classpath.txt)"

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  "$JAVA_HOME/bin/java" -cp "$cp" bench/SelfHostedCleanup.java "$run_id" || true
}
trap cleanup EXIT

start() { # role name
  env TASKS_ROLE="$1" PORT="$PORT" HOST=127.0.0.1 TASKS_STORE=redis TASKS_BUS=rabbitmq \
      TASKS_REDIS_PREFIX="$run_id:" TASKS_AMQP_EXCHANGE="$run_id.events" TASKS_AMQP_QUEUE="$run_id.tasks" \
      TASKS_WORKERS="$WORKERS" TASKS_SHUTDOWN_GRACE_SECONDS=5 \
      "$JAVA_HOME/bin/java" ${JAVA_OPTS:-} -cp "$cp" dev.longtasks.local.LocalMain >"$logs/$2.log" 2>&1 &
  pids+=($!)
}
start worker worker-1
start worker worker-2
start api api
for _ in $(seq 1 150); do
  grep -q "listening on" "$logs/api.log" 2>/dev/null && break
  sleep 0.2
done
grep -q "listening on" "$logs/api.log" || { cat "$logs/api.log" >&2; echo "the API process did not start" >&2; exit 1; }
url="http://127.0.0.1:$PORT"

bench_machine
echo "service JVMs: ${JAVA_OPTS:-(JVM defaults)}; $WORKERS tasks at once per worker; logs in $logs"
# Warm-up (not counted): 2 x 5,000 tasks, so the JIT of all three JVMs has compiled the hot paths.
for _ in 1 2; do "$JAVA_HOME/bin/java" bench/E2eLoad.java --url "$url" --tasks 5000 --clients "$clients" --type noop >/dev/null; done

# CPU time (user + system, clock ticks) a process has used so far.
ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
# write system calls (sockets and stderr) a process has made so far.
writes() { awk '/^syscw:/{print $2}' "/proc/$1/io" 2>/dev/null || echo 0; }
watched=("${pids[@]}" "$(pgrep -x redis-server | head -n1 || echo 0)" "$(pgrep -f beam.smp | head -n1 || echo 0)")
names=(worker_1 worker_2 api redis rabbitmq)
hz=$(getconf CLK_TCK)
tps=(); p50=(); p99=(); cpu_total=()
for r in $(seq 1 "$rounds"); do
  before=(); for p in "${watched[@]}"; do before+=("$(ticks "$p")"); done
  wbefore=(); for p in "${pids[@]}"; do wbefore+=("$(writes "$p")"); done
  out=$("$JAVA_HOME/bin/java" bench/E2eLoad.java --url "$url" --tasks "$tasks" --clients "$clients" --type noop --json)
  cpu="" total=0
  for k in "${!watched[@]}"; do
    ms=$(awk -v a="${before[$k]}" -v b="$(ticks "${watched[$k]}")" -v hz="$hz" -v n="$tasks" 'BEGIN{printf "%.3f", (b-a)*1000/hz/n}')
    cpu+="${cpu:+,}\"${names[$k]}\":$ms"
    total=$(awk -v t="$total" -v m="$ms" 'BEGIN{printf "%.3f", t+m}')
  done
  wr=""
  for k in "${!pids[@]}"; do
    w=$(awk -v a="${wbefore[$k]}" -v b="$(writes "${pids[$k]}")" -v n="$tasks" 'BEGIN{printf "%.2f", (b-a)/n}')
    wr+="${wr:+,}\"${names[$k]}\":$w"
  done
  # The broker and Redis are shared with other users of the machine: their share is an upper bound.
  echo "round $r: ${out%\}},\"cpu_ms_per_task\":{$cpu},\"write_syscalls_per_task\":{$wr},\"load_average_1m\":$(cut -d' ' -f1 /proc/loadavg)}"
  tps+=("$(sed -n 's/.*"tasks_per_second":\([0-9.]*\).*/\1/p' <<<"$out")")
  p50+=("$(sed -n 's/.*"p50":\([0-9.]*\).*/\1/p' <<<"$out")")
  p99+=("$(sed -n 's/.*"p99":\([0-9.]*\).*/\1/p' <<<"$out")")
  cpu_total+=("$total")
done
echo "RESULT self-hosted median of $rounds x $tasks noop tasks, $clients clients, 1 API + 2 workers:" \
  "$(printf '%s\n' "${tps[@]}" | median) tasks/s, latency p50 $(printf '%s\n' "${p50[@]}" | median) ms," \
  "p99 $(printf '%s\n' "${p99[@]}" | median) ms; service CPU $(printf '%s\n' "${cpu_total[@]}" | median) ms per task"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
