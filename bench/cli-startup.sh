#!/usr/bin/env bash
# taskctl start-up: wall and CPU time of `taskctl --version` and `taskctl status --api-url U ID`
# (against a running `taskctl dev`), for the launcher install.sh writes, plain `java -jar` on the
# same jar, and bare `java -version` as the yardstick. With BASELINE=/path/to/bin/taskctl (e.g. an
# install of main) that launcher is measured too. Uses hyperfine (Debian: apt-get install hyperfine).
#
# The machine is shared, so the variants alternate: ROUNDS hyperfine runs, each measuring every
# variant RUNS_PER_ROUND times; medians are over all runs, and ratios to `java -version` come from
# the same run. Results: bench/results/cli-startup.md (and one JSON per round); copy the table to
# BENCHMARKS.md.
#   ROUNDS=6 RUNS_PER_ROUND=5 PORT=4400 BASELINE=/tmp/main/bin/taskctl bench/cli-startup.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/jdk.sh
ROUNDS="${ROUNDS:-6}"
RUNS_PER_ROUND="${RUNS_PER_ROUND:-5}"
PORT="${PORT:-4400}"
PREFIX="${BENCH_PREFIX:-$(mktemp -d /tmp/taskctl-bench.XXXXXX)}"
command -v hyperfine >/dev/null || { echo "hyperfine is missing: apt-get install -y hyperfine" >&2; exit 1; }

PREFIX="$PREFIX" ./install.sh
LAUNCHER="$PREFIX/bin/taskctl"
JAR=$(ls "$PREFIX"/share/taskctl/taskctl-*.jar 2>/dev/null | head -n1 || true)
[ -n "$JAR" ] || { echo "no jar under $PREFIX/share/taskctl (native install?): this benchmark compares JVM start-ups" >&2; exit 1; }
JAVA="$JAVA_HOME/bin/java"
URL="http://127.0.0.1:$PORT"

if curl -fsS "$URL/v1/health" >/dev/null 2>&1; then
  echo "using the task service already listening on $URL" >&2
else
  "$LAUNCHER" dev --port "$PORT" > /tmp/taskctl-bench-dev.log 2>&1 &
  DEV=$!
  trap 'kill $DEV 2>/dev/null || true; wait $DEV 2>/dev/null || true' EXIT
  for _ in $(seq 1 100); do curl -fsS "$URL/v1/health" >/dev/null 2>&1 && break; sleep 0.1; done
fi
ID=$("$LAUNCHER" submit --api-url "$URL" --data '{"steps":1,"step_ms":0}' --wait -q | head -n1)

VARIANTS=(-n "java -version" "$JAVA -version")
add() { VARIANTS+=(-n "$1: --version" "$2 --version" -n "$1: status" "$2 status --api-url $URL $ID"); }
add "java -jar" "$JAVA -jar $JAR"
add "launcher" "$LAUNCHER"
if [ -n "${BASELINE:-}" ]; then
  add "baseline launcher" "$BASELINE"
fi

mkdir -p bench/results
rm -f bench/results/cli-startup-round-*.json
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
for round in $(seq 1 "$ROUNDS"); do
  hyperfine -N --warmup 2 --runs "$RUNS_PER_ROUND" --style basic \
    --export-json "bench/results/cli-startup-round-$round.json" "${VARIANTS[@]}" >/dev/null
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

python3 - "$ROUNDS" "$RUNS_PER_ROUND" > bench/results/cli-startup.md <<'PY'
import json, statistics, sys
rounds, per_round = int(sys.argv[1]), int(sys.argv[2])
times, cpu = {}, {}
for r in range(1, rounds + 1):
    for x in json.load(open(f"bench/results/cli-startup-round-{r}.json"))["results"]:
        name = x["command"]
        times.setdefault(name, []).extend(t * 1000 for t in x["times"])
        cpu.setdefault(name, []).append((x["user"] + x["system"]) * 1000)
base = statistics.median(times["java -version"])
print(f"{rounds} alternating rounds x {per_round} runs per variant (hyperfine -N, 2 warm-ups per round)\n")
print("| command | median (ms) | min (ms) | CPU user+sys (ms) | median / `java -version` |")
print("|---|---|---|---|---|")
for name, t in times.items():
    print(f"| {name} | {statistics.median(t):.0f} | {min(t):.0f} | {statistics.mean(cpu[name]):.0f} | {statistics.median(t) / base:.2f} |")
PY
{
  echo
  echo "machine: $(nproc) cores, $(uname -m), load average $LOAD_BEFORE before, $LOAD_AFTER after; $("$JAVA" -version 2>&1 | head -n1)"
} >> bench/results/cli-startup.md
cat bench/results/cli-startup.md
