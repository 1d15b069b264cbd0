#!/usr/bin/env bash
# CPU per task of two builds of the service, measured in one run with alternating rounds, so both
# see the same neighbours: bench/selfhosted.sh with SERVICE_JAR=A, then B, then A, ... Each turn
# starts fresh processes, warms up (2 x 5,000 tasks) and measures one round.
#
# Usage: bench/selfhosted-ab.sh OLD.jar NEW.jar [turns per jar (3)] [tasks per round (5000)]
#   Build a jar with ./mvnw -q -B -DskipTests package -pl service -am and copy
#   service/target/service-0.1.0.jar away before checking out the other revision.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { echo "usage: bench/selfhosted-ab.sh OLD.jar NEW.jar [turns] [tasks]" >&2; exit 2; }
old=$(realpath "$1"); new=$(realpath "$2")
turns=${3:-3}; tasks=${4:-5000}
for t in $(seq 1 "$turns"); do
  for which in old new; do
    jar=$old; [ "$which" = new ] && jar=$new
    echo "== turn $t $which ($jar), load $(cut -d' ' -f1-3 /proc/loadavg)"
    SERVICE_JAR=$jar bench/selfhosted.sh 1 "$tasks" | grep -E '^round|^RESULT|^load' | sed "s/^/$which /"
  done
done
