#!/usr/bin/env bash
# taskctl start-up: median wall time of `taskctl --version` and `taskctl status --api-url U ID`
# (against a running local server), plain `java -jar` versus the launcher install.sh writes
# (AOT cache on JDK 25+, CDS on 21-24, short-lived-CLI flags). Uses hyperfine (Debian: apt-get
# install hyperfine). Results: bench/results/cli-startup.{json,md}; copy the table to BENCHMARKS.md.
#   RUNS=30 PORT=4400 bench/cli-startup.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/jdk.sh
RUNS="${RUNS:-30}"
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

mkdir -p bench/results
hyperfine --runs "$RUNS" --warmup 3 -N \
  --export-json bench/results/cli-startup.json --export-markdown bench/results/cli-startup.md \
  -n "java -jar: --version" "$JAVA -jar $JAR --version" \
  -n "launcher: --version" "$LAUNCHER --version" \
  -n "java -jar: status" "$JAVA -jar $JAR status --api-url $URL $ID" \
  -n "launcher: status" "$LAUNCHER status --api-url $URL $ID"

python3 - <<'PY'
import json
r = json.load(open("bench/results/cli-startup.json"))["results"]
med = {x["command"]: x["median"] * 1000 for x in r}
print("\n| command | median (ms) |\n|---|---|")
for k, v in med.items():
    print(f"| {k} | {v:.0f} |")
for what in ("--version", "status"):
    print(f"launcher/java -jar ({what}): {med['launcher: ' + what] / med['java -jar: ' + what]:.2f}")
PY
echo "machine: $(nproc) cores, $(uname -m), load $(cut -d' ' -f1-3 /proc/loadavg), $("$JAVA" -version 2>&1 | head -n1)"
