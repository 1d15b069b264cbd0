#!/usr/bin/env bash
# Lambda cold start: a fresh JVM with Lambda-like flags constructs ApiHandler with a deployed api
# function's environment (table and topic in TASKS_TABLE/TASKS_TOPIC_ARN) and handles one POST
# against dynalite + fauxqs. Variants take turns run by run; prints medians and the load average.
#   unprimed       what ships, without SnapStart: init, then the first request
#   primed         the same, with the SnapStart beforeCheckpoint work (SnapStartPriming.prime) run at
#                  the end of init: this JVM has no CRaC, so nothing calls the hook by itself
#   ssm-fallback   unprimed, names read from the SSM fake at init (a function deployed without them)
#   appcds, appcds-primed   the first two with an AppCDS archive of the app's classes
# Usage: bench/coldstart.sh [runs]   (default 11; COLDSTART_ALL=1 adds the Powertools-logging and
# default-JIT comparisons of earlier runs, see BENCHMARKS.md)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/jdk.sh
RUNS="${1:-11}"
[ -d node_modules ] || { echo "node_modules is missing: run ./test.sh (npm ci) first" >&2; exit 2; }

./mvnw -B -q -pl service -am package -DskipTests
VERSION=$(sed -n 's/^version=//p' service/target/classes/dev/longtasks/version.properties)
LAMBDA_JAR="service/target/service-${VERSION}-lambda.jar"
TEST_JAR="service/target/service-${VERSION}-tests.jar"
OUT=bench/results/coldstart
rm -rf "$OUT" && mkdir -p "$OUT/classes"

"$JAVA_HOME/bin/javac" --release 21 -d "$OUT/classes" -cp "$LAMBDA_JAR:$TEST_JAR" bench/coldstart/src/dev/longtasks/bench/*.java
"$JAVA_HOME/bin/jar" cf "$OUT/probe.jar" -C "$OUT/classes" .  # AppCDS accepts only jars on the class path
EVENT=service/src/test/resources/events/http-api-post-process-task.json
# Lambda's Java 21 runtime: C1 only (JAVA_TOOL_OPTIONS in serverless.yml), class-data sharing on, serial GC on small memory.
FLAGS="-XX:+TieredCompilation -XX:TieredStopAtLevel=1 -Xshare:auto -XX:+UseSerialGC -Xmx512m"

CP="$OUT/probe.jar:$LAMBDA_JAR"
VARIANTS=(
  "unprimed=$FLAGS -cp $CP"
  "primed=$FLAGS -Dprobe.prime=true -cp $CP"
  "ssm-fallback=$FLAGS -Dprobe.names=ssm -cp $CP"
  "appcds=$FLAGS -XX:+AutoCreateSharedArchive -XX:SharedArchiveFile=$OUT/app.jsa -cp $CP"
  "appcds-primed=$FLAGS -Dprobe.prime=true -XX:+AutoCreateSharedArchive -XX:SharedArchiveFile=$OUT/app-primed.jsa -cp $CP"
)
if [ "${COLDSTART_ALL:-0}" = 1 ]; then
  # Powertools logging 2.9.0 (log4j2 + JsonTemplateLayout); our jar first, so its Jackson 2.21 wins
  # over the 2.20 Powertools brings.
  ./mvnw -B -q -f bench/coldstart/powertools/pom.xml dependency:build-classpath -Dmdep.outputFile="$PWD/$OUT/powertools.cp"
  PT_CP="$OUT/probe.jar:$LAMBDA_JAR:$(cat "$OUT/powertools.cp"):bench/coldstart/powertools"
  VARIANTS+=(
    "powertools=$FLAGS -Dslf4j.provider=org.apache.logging.slf4j.SLF4JServiceProvider -Dlog4j2.configurationFile=log4j2.xml -cp $PT_CP"
    "default-jit=-Xshare:auto -XX:+UseSerialGC -Xmx512m -cp $CP"
  )
fi
"$JAVA_HOME/bin/java" -cp "$OUT/classes:$LAMBDA_JAR:$TEST_JAR" dev.longtasks.bench.ColdStartBench "$RUNS" "$EVENT" "${VARIANTS[@]}" \
  | tee "$OUT/summary.txt"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)" | tee -a "$OUT/summary.txt"
