#!/usr/bin/env bash
# The service against the peers in ../shared/peers, in one run, alternating rounds (ours, theirs,
# ours, theirs, ...), medians and ratios:
#   GET /v1/tasks/{id} and POST (noop), wrk -t2 -c64: our local server vs the seed-like FastAPI service
#   e2e, TASKS noop over HTTP, 64 clients: embedded (bench/E2eLoad.java) vs Celery 5 prefork c=2 + Redis
#   self-hosted, 1 API + 2 workers on Redis + RabbitMQ (same client) vs the same Celery rounds
#   sequential submit -> poll every 5 ms -> SUCCEEDED, LAT_N tasks (bench/seq_latency.py, one Python
#   client for both): p50 and p90 vs the seed-like service
# Writes bench/results/peers-<UTC>.json and .md and prints the markdown table to paste into BENCHMARKS.md.
#
# Usage: bench/peers.sh [PEERS_DIR]      (default: $PEERS_DIR, else ../shared/peers beside the repository)
#   ROUNDS=3 DURATION=15s TASKS=10000 CLIENTS=64 LAT_N=200   the protocol (defaults shown)
#   REDIS_URL / AMQP_URL   the servers of the self-hosted run (default 127.0.0.1:6379 / :5672, guest)
#   SKIP_SELFHOSTED=1      leave out the self-hosted rows (no Redis/RabbitMQ here)
# The peers stay outside this repository. Get them by copying the peers folder shared with the
# project (../shared/peers), then run its setup.sh once (Debian packages: wrk, python3-fastapi,
# python3-uvicorn, python3-celery, python3-redis, redis-server).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
source bench/lib.sh

peers=${1:-${PEERS_DIR:-$repo/../shared/peers}}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-15s}
TASKS=${TASKS:-10000}
CLIENTS=${CLIENTS:-64}
LAT_N=${LAT_N:-200}
PY=/usr/bin/python3 # Debian's python3-* packages are only on the system interpreter

if [ ! -f "$peers/seed_peer/seed_service.py" ] || [ ! -f "$peers/celery_peer/bench_tasks.py" ]; then
  cat >&2 <<MSG
bench/peers.sh: no peers at $peers
Copy the shared peers folder (the project's ../shared/peers) beside this repository, or pass its
path: bench/peers.sh /path/to/peers (or PEERS_DIR=...). Then run its setup.sh once.
MSG
  exit 2
fi
missing=""
command -v wrk >/dev/null || missing+=" wrk"
command -v redis-server >/dev/null || missing+=" redis-server"
"$PY" -c 'import uvicorn, fastapi, celery, redis' 2>/dev/null || missing+=" python3-{uvicorn,fastapi,celery,redis}"
if [ -n "$missing" ]; then
  echo "bench/peers.sh: missing:$missing. Run $peers/setup.sh once (it installs them from Debian packages)." >&2
  exit 2
fi

stamp=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p bench/results
work=$(mktemp -d /tmp/longtasks-peers.XXXXXX)
samples="$work/samples.tsv" # round, metric, side (ours|peer), value
: >"$samples"
run_id="longtasks-peers-$(date +%s)-$$"
pids=()

cleanup() {
  local p k
  stop_server
  for ((k = ${#pids[@]} - 1; k >= 0; k--)); do
    p=${pids[k]}
    for c in $(pgrep -P "$p" 2>/dev/null); do kill "$c" 2>/dev/null || true; done
    kill "$p" 2>/dev/null || true
  done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  if [ -z "${SKIP_SELFHOSTED:-}" ] && [ -n "${cp:-}" ]; then
    "$JAVA_HOME/bin/java" -cp "$cp" bench/SelfHostedCleanup.java "$run_id" >/dev/null 2>&1 || true
  fi
  echo "logs: $work" >&2
}

free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
note() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }
sample() { echo "$1	$2	$3	$4" >>"$samples"; } # round metric side value
wait_http() { # url what
  for _ in $(seq 1 300); do curl -fs -o /dev/null "$1" && return 0; sleep 0.1; done
  echo "$2 did not answer $1" >&2; exit 1
}

wrk_rps() { # url [wrk args...] -> req/s, fails on socket errors or non-2xx answers
  local url=$1 out; shift
  out=$(wrk -t2 -c64 -d"$DURATION" "$@" "$url")
  if grep -q "Non-2xx" <<<"$out"; then echo "non-2xx answers from $url:" >&2; echo "$out" >&2; exit 1; fi
  awk '/^Requests\/sec/ {print $2}' <<<"$out"
}

# ---- build and start everything once ---------------------------------------------------------
bench_machine
./mvnw -q -B -DskipTests package -pl service -am
./mvnw -q -B dependency:build-classpath -pl service -Dmdep.includeScope=runtime -Dmdep.outputFile=target/classpath.txt >/dev/null
cp="service/target/service-0.1.0.jar:$(cat service/target/classpath.txt)"

start_server # ours, embedded: memory store, in-process bus (bench/lib.sh)
trap cleanup EXIT
ours=$SERVER_URL

seed_port=$(free_port)
"$PY" -m uvicorn seed_service:app --app-dir "$peers/seed_peer" --host 127.0.0.1 --port "$seed_port" \
  --no-access-log --log-level warning >"$work/seed.log" 2>&1 &
pids+=($!)
seed="http://127.0.0.1:$seed_port"
wait_http "$seed/v1/whoami" "the seed-like service"

redis_port=$(free_port) # Celery's own private Redis, as the peers' run_celery.sh does
redis-server --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no --dir "$work" \
  --daemonize no --loglevel warning >"$work/celery-redis.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do [ "$(redis-cli -p "$redis_port" ping 2>/dev/null)" = PONG ] && break; sleep 0.1; done
export REDIS_URL_CELERY="redis://127.0.0.1:$redis_port"
(cd "$peers/celery_peer" && REDIS_URL=$REDIS_URL_CELERY PYTHONPATH="$peers/celery_peer" exec "$PY" -m celery -A bench_tasks \
  worker -P prefork --concurrency 2 --loglevel WARNING --without-gossip --without-mingle -n "peers-$$@%h") \
  >"$work/celery-worker.log" 2>&1 &
pids+=($!)
celery_client() { (cd "$peers/celery_peer" && REDIS_URL=$REDIS_URL_CELERY PYTHONPATH="$peers/celery_peer" \
  timeout -k 5 120 "$PY" celery_client.py "$@"); }
celery_client --mode warmup --task noop --n 200 --timeout 60 >/dev/null

if [ -z "${SKIP_SELFHOSTED:-}" ]; then
  sh_port=$(free_port)
  for role in worker:worker-1 worker:worker-2 api:api; do
    env TASKS_ROLE="${role%%:*}" PORT="$sh_port" HOST=127.0.0.1 TASKS_STORE=redis TASKS_BUS=rabbitmq \
      TASKS_REDIS_PREFIX="$run_id:" TASKS_AMQP_EXCHANGE="$run_id.events" TASKS_AMQP_QUEUE="$run_id.tasks" \
      TASKS_WORKERS=64 TASKS_SHUTDOWN_GRACE_SECONDS=5 \
      "$JAVA_HOME/bin/java" ${JAVA_OPTS:-} -cp "$cp" dev.longtasks.local.LocalMain >"$work/${role#*:}.log" 2>&1 &
    pids+=($!)
  done
  selfhosted="http://127.0.0.1:$sh_port"
  wait_http "$selfhosted/v1/health" "the self-hosted API"
fi

# ---- warm-up (not counted) ---------------------------------------------------------------------
note "warm-up"
# A fresh task on each side before every GET round: the memory store is bounded and evicts the
# oldest finished tasks, and the POST and e2e rounds submit hundreds of thousands.
seed_tasks() {
  ours_task=$(curl -fs -XPOST "$ours/v1/tasks" -H 'content-type: application/json' -d '{"type":"noop","data":{}}' \
    | sed -n 's/.*"task_id":"\([^"]*\)".*/\1/p')
  seed_task=$(curl -fs -XPOST "$seed/v1/example/process-task" -H 'content-type: application/json' -d '{"data":{"x":1}}' \
    | sed -n 's/.*"task_id":"\([^"]*\)".*/\1/p')
  [ -n "$ours_task" ] && [ -n "$seed_task" ] || { echo "seeding a task failed" >&2; exit 1; }
}
seed_tasks
wrk -t2 -c64 -d5s "$ours/v1/tasks/$ours_task" >/dev/null
wrk -t2 -c64 -d5s -s bench/post-noop.lua "$ours/v1/tasks" >/dev/null
wrk -t1 -c8 -d2s "$seed/v1/tasks/$seed_task" >/dev/null
wrk -t1 -c8 -d2s -s "$peers/seed_peer/post_task.lua" "$seed/v1/example/process-task" >/dev/null
e2e() { "$JAVA_HOME/bin/java" bench/E2eLoad.java --url "$1" --tasks "$2" --clients "$CLIENTS" --type noop --json; }
e2e "$ours" 5000 >/dev/null
[ -z "${SKIP_SELFHOSTED:-}" ] && { e2e "$selfhosted" 5000 >/dev/null; e2e "$selfhosted" 5000 >/dev/null; }
seq_lat() { "$PY" bench/seq_latency.py --n "$LAT_N" "$@"; }
ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
sh_pids=("${pids[@]: -3}")

# ---- alternating rounds ------------------------------------------------------------------------
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
for r in $(seq 1 "$ROUNDS"); do
  note "round $r of $ROUNDS (load $(cut -d' ' -f1-3 /proc/loadavg))"
  seed_tasks
  sample "$r" get ours "$(wrk_rps "$ours/v1/tasks/$ours_task")"
  sample "$r" get peer "$(wrk_rps "$seed/v1/tasks/$seed_task")"
  sample "$r" post ours "$(wrk_rps "$ours/v1/tasks" -s bench/post-noop.lua)"
  sample "$r" post peer "$(wrk_rps "$seed/v1/example/process-task" -s "$peers/seed_peer/post_task.lua")"

  out=$(e2e "$ours" "$TASKS")
  sample "$r" e2e ours "$(sed -n 's/.*"tasks_per_second":\([0-9.]*\).*/\1/p' <<<"$out")"
  out=$(celery_client --mode throughput --task noop --n "$TASKS" --timeout 110 --label "round=$r")
  grep -q "incomplete=1" <<<"$out" && { echo "Celery did not finish in time: $out" >&2; exit 1; }
  celery=$(sed -n 's/.* tasks_per_s=\([0-9.]*\).*/\1/p' <<<"$out")
  sample "$r" e2e peer "$celery"
  if [ -z "${SKIP_SELFHOSTED:-}" ]; then
    before=0; for p in "${sh_pids[@]}"; do before=$((before + $(ticks "$p"))); done
    out=$(e2e "$selfhosted" "$TASKS")
    after=0; for p in "${sh_pids[@]}"; do after=$((after + $(ticks "$p"))); done
    sample "$r" selfhosted ours "$(sed -n 's/.*"tasks_per_second":\([0-9.]*\).*/\1/p' <<<"$out")"
    sample "$r" selfhosted peer "$celery"
    sample "$r" selfhosted_jvm_cpu_ms ours "$(awk -v a="$before" -v b="$after" -v hz="$(getconf CLK_TCK)" -v n="$TASKS" 'BEGIN{printf "%.3f", (b-a)*1000/hz/n}')"
  fi

  out=$(seq_lat --url "$ours" --path /v1/tasks --body '{"type":"noop","data":{}}')
  sample "$r" latency_p50 ours "$(sed -n 's/.*"p50_ms": \([0-9.]*\).*/\1/p' <<<"$out")"
  sample "$r" latency_p90 ours "$(sed -n 's/.*"p90_ms": \([0-9.]*\).*/\1/p' <<<"$out")"
  sample "$r" first_poll_done ours "$(sed -n 's/.*"first_poll_done": \([0-9.]*\).*/\1/p' <<<"$out")"
  out=$(seq_lat --url "$seed" --path /v1/example/process-task --body '{"data":{"x":1,"kind":"bench"}}')
  sample "$r" latency_p50 peer "$(sed -n 's/.*"p50_ms": \([0-9.]*\).*/\1/p' <<<"$out")"
  sample "$r" latency_p90 peer "$(sed -n 's/.*"p90_ms": \([0-9.]*\).*/\1/p' <<<"$out")"
  sample "$r" first_poll_done peer "$(sed -n 's/.*"first_poll_done": \([0-9.]*\).*/\1/p' <<<"$out")"
done
load_end=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- medians, ratios, table --------------------------------------------------------------------
"$PY" - "$samples" "bench/results/peers-$stamp" "$stamp" "$load_start" "$load_end" "$ROUNDS" "$DURATION" "$TASKS" "$CLIENTS" "$LAT_N" <<'PYEOF'
import json, statistics, sys
path, out, stamp, load_start, load_end, rounds, duration, tasks, clients, lat_n = sys.argv[1:]
vals = {}
for line in open(path):
    r, metric, side, v = line.rstrip("\n").split("\t")
    if v:
        vals.setdefault((metric, side), []).append(float(v))
med = {k: statistics.median(v) for k, v in vals.items()}
rows = [  # metric, workload, peer name, unit, goal, higher is better
    ("get", "`GET /v1/tasks/{id}`, wrk -t2 -c64 -d" + duration, "seed-like FastAPI", "req/s", 5.0, True),
    ("post", "`POST` noop, wrk -t2 -c64 -d" + duration, "seed-like FastAPI", "req/s", 2.5, True),
    ("e2e", f"e2e {int(tasks):,} noop, {clients} clients, embedded", "Celery prefork c=2", "tasks/s", 10.0, True),
    ("selfhosted", f"e2e {int(tasks):,} noop, {clients} clients, 1 API + 2 workers (Redis + RabbitMQ)", "Celery prefork c=2", "tasks/s", 3.0, True),
    ("latency_p50", f"sequential submit, poll 5 ms, {lat_n} noop: p50", "seed-like FastAPI", "ms", 1.0, False),
    ("latency_p90", f"sequential submit, poll 5 ms, {lat_n} noop: p90", "seed-like FastAPI", "ms", 1.0, False),
]
result = {"run": stamp, "rounds": int(rounds), "load_average_start": load_start, "load_average_end": load_end,
          "samples": {f"{m}/{s}": v for (m, s), v in vals.items()}, "rows": []}
lines = [f"Run {stamp}, {rounds} alternating rounds; load average {load_start} at the start, {load_end} at the end.", "",
         "| workload | ours (median) | peer | peer (median) | ratio | goal | met? |", "|---|---|---|---|---|---|---|"]
fmt = lambda x, unit: f"{x:,.0f} {unit}" if unit != "ms" else f"{x:.2f} ms"
for metric, name, peer, unit, goal, higher in rows:
    if (metric, "ours") not in med or (metric, "peer") not in med:
        continue
    o, p = med[(metric, "ours")], med[(metric, "peer")]
    if higher:
        ratio = o / p if p else float("inf"); met = ratio >= goal; rtxt, gtxt = f"×{ratio:.2f}", f"≥ ×{goal:g}"
    else:
        ratio = o / p if p else float("inf"); met = o <= p; rtxt, gtxt = f"{ratio:.2f} (ours/peer)", "≤ peer"
    result["rows"].append({"metric": metric, "workload": name, "ours": o, "peer_name": peer, "peer": p,
                           "unit": unit, "ratio": round(ratio, 3), "goal": gtxt, "met": met})
    lines.append(f"| {name} | {fmt(o, unit)} | {peer} | {fmt(p, unit)} | {rtxt} | {gtxt} | {'yes' if met else 'no'} |")
extra = []
if ("selfhosted_jvm_cpu_ms", "ours") in med:
    result["selfhosted_jvm_cpu_ms_per_task"] = med[("selfhosted_jvm_cpu_ms", "ours")]
    extra.append(f"self-hosted CPU of the three JVMs: {med[('selfhosted_jvm_cpu_ms', 'ours')]:.3f} ms per task (median)")
if ("first_poll_done", "ours") in med:
    extra.append(f"share of tasks already SUCCEEDED at the first poll: ours {med[('first_poll_done', 'ours')]:.2f}, "
                 f"seed-like {med[('first_poll_done', 'peer')]:.2f}")
if extra:
    lines += [""] + [f"- {e}" for e in extra]
md = "\n".join(lines) + "\n"
open(out + ".md", "w").write(md)
json.dump(result, open(out + ".json", "w"), indent=2)
print(md)
print(f"written: {out}.md and {out}.json")
PYEOF
