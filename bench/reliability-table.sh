#!/usr/bin/env bash
# Prints the Markdown tables for RELIABILITY.md from the figures the last test run wrote to
# service/target/reliability/ (run the scenario and property tests first, e.g. ./test.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/jdk.sh
exec "$JAVA_HOME/bin/java" bench/ReliabilityTable.java service/target/reliability
