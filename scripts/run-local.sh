#!/usr/bin/env bash
# Builds the service module if needed and runs the local service (in-memory store, in-process bus).
# Usage: scripts/run-local.sh            listens on http://localhost:4000
#        PORT=4100 scripts/run-local.sh  another port (0 = a free one); HOST=0.0.0.0 to listen on all interfaces
# Other settings come from the environment: API_STAGE, TASKS_WORKERS, TASKS_TTL_SECONDS, ... (see docs/configuration.md).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/jdk.sh

jar="service/target/service-0.1.0.jar"
cp_file="service/target/classpath.txt"
newest_source=$(find service/src/main service/pom.xml pom.xml -newer "$jar" -print -quit 2>/dev/null || true)
if [ ! -f "$jar" ] || [ ! -f "$cp_file" ] || [ -n "$newest_source" ]; then
  echo "building the service module..." >&2
  ./mvnw -q -B -DskipTests package -pl service
  ./mvnw -q -B dependency:build-classpath -pl service -Dmdep.includeScope=runtime -Dmdep.outputFile=target/classpath.txt >/dev/null
fi

exec "$JAVA_HOME/bin/java" ${JAVA_OPTS:-} -cp "$jar:$(cat "$cp_file")" dev.longtasks.local.LocalMain
