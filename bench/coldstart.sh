#!/usr/bin/env bash
# Lambda cold start: a fresh JVM with Lambda-like flags constructs ApiHandler, loads the stage
# config from the SSM fake and handles one POST against dynalite + fauxqs. Prints medians.
# Usage: bench/coldstart.sh [runs]   (default 11; also measures Powertools logging, see below)
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

# Powertools logging 2.9.0 (log4j2 + JsonTemplateLayout) for the comparison run.
./mvnw -B -q -f bench/coldstart/powertools/pom.xml dependency:build-classpath -Dmdep.outputFile="$PWD/$OUT/powertools.cp"

"$JAVA_HOME/bin/javac" --release 21 -d "$OUT/classes" -cp "$LAMBDA_JAR:$TEST_JAR" bench/coldstart/src/dev/longtasks/bench/*.java
"$JAVA_HOME/bin/jar" cf "$OUT/probe.jar" -C "$OUT/classes" .  # AppCDS accepts only jars on the class path
EVENT=service/src/test/resources/events/http-api-post-process-task.json
# Lambda's Java 21 runtime: C1 only (JAVA_TOOL_OPTIONS in serverless.yml), class-data sharing on, serial GC on small memory.
FLAGS="-XX:+TieredCompilation -XX:TieredStopAtLevel=1 -Xshare:auto -XX:+UseSerialGC -Xmx512m"
# Our jar first, so its Jackson 2.21 wins over the 2.20 Powertools brings.
PT_CP="$OUT/probe.jar:$LAMBDA_JAR:$(cat "$OUT/powertools.cp"):bench/coldstart/powertools"

"$JAVA_HOME/bin/java" -cp "$OUT/classes:$LAMBDA_JAR:$TEST_JAR" dev.longtasks.bench.ColdStartBench "$RUNS" "$EVENT" \
  "json-logger=$FLAGS -cp $OUT/probe.jar:$LAMBDA_JAR" \
  "powertools=$FLAGS -Dslf4j.provider=org.apache.logging.slf4j.SLF4JServiceProvider -Dlog4j2.configurationFile=log4j2.xml -cp $PT_CP" \
  "default-jit=-Xshare:auto -XX:+UseSerialGC -Xmx512m -cp $OUT/probe.jar:$LAMBDA_JAR" \
  "appcds=$FLAGS -XX:+AutoCreateSharedArchive -XX:SharedArchiveFile=$OUT/app.jsa -cp $OUT/probe.jar:$LAMBDA_JAR" \
  | tee "$OUT/summary.txt"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)" | tee -a "$OUT/summary.txt"
