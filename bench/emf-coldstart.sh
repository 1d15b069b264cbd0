#!/usr/bin/env bash
# Lambda metrics: what the first flush of one invocation's EMF metrics costs a fresh JVM with
# Lambda's flags (class loading + setup + the first flush), our EmfTaskMetrics against Powertools
# Metrics (software.amazon.lambda:powertools-metrics). Variants take turns run by run; one warm-up
# round is discarded; prints the medians and the load average. Decides BENCHMARKS.md "Lambda metrics".
# Usage: bench/emf-coldstart.sh [runs]   (default 15)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/jdk.sh
RUNS="${1:-15}"

./mvnw -B -q -pl service -am package -DskipTests
VERSION=$(sed -n 's/^version=//p' service/target/classes/dev/longtasks/version.properties)
LAMBDA_JAR="service/target/service-${VERSION}-lambda.jar"
OUT=bench/results/emf
rm -rf "$OUT" && mkdir -p "$OUT/classes"
./mvnw -B -q -f bench/emf/pom.xml dependency:build-classpath -Dmdep.outputFile="$PWD/$OUT/powertools.cp"
# Our jar first, so its Jackson wins over the one Powertools brings (as in the function, which ships one).
CP="$OUT/classes:$LAMBDA_JAR:$(cat "$OUT/powertools.cp")"
"$JAVA_HOME/bin/javac" --release 21 -d "$OUT/classes" -cp "$CP" bench/emf/src/dev/longtasks/bench/EmfProbe.java
# Lambda's Java 21 runtime: C1 only (JAVA_TOOL_OPTIONS in serverless.yml), class-data sharing on, serial GC.
FLAGS=(-XX:+TieredCompilation -XX:TieredStopAtLevel=1 -Xshare:auto -XX:+UseSerialGC -Xmx512m)
# A Lambda environment, so the EMF library picks its stdout sink rather than probing for an agent.
export AWS_LAMBDA_FUNCTION_NAME=long-running-tasks-bench-listener POWERTOOLS_SERVICE_NAME=long-running-tasks
export POWERTOOLS_METRICS_NAMESPACE=LongTasks AWS_REGION=us-east-1

echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$OUT/summary.txt"
for i in $(seq 0 "$RUNS"); do
  for v in own powertools; do
    line=$("$JAVA_HOME/bin/java" "${FLAGS[@]}" -cp "$CP" dev.longtasks.bench.EmfProbe "$v" 2>&1 >"$OUT/$v.out" | tail -1)
    [ "$i" -gt 0 ] && echo "$line" >>"$OUT/samples.txt"   # run 0 warms the page cache
  done
done
for v in own powertools; do
  grep "^$v " "$OUT/samples.txt" | awk '{print $2}' | sort -n \
    | awk -v v="$v" '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%-11s median %6.1f ms  min %6.1f  max %6.1f  (%d fresh JVMs)\n", v, m/1000, a[1]/1000, a[NR]/1000, NR}'
done | tee -a "$OUT/summary.txt"
echo "one line each, as written:" | tee -a "$OUT/summary.txt"
head -c 600 "$OUT/own.out" | tee -a "$OUT/summary.txt"; echo
head -c 600 "$OUT/powertools.out" | tee -a "$OUT/summary.txt"; echo
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); machine: $(nproc) cores, $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)" | tee -a "$OUT/summary.txt"
