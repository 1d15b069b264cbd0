#!/usr/bin/env bash
# Runs every test: unit, integration (local server, dynalite, fauxqs, Redis, RabbitMQ) and end to end.
# Usage: ./test.sh [extra Maven arguments]
set -euo pipefail
cd "$(dirname "$0")"
source scripts/jdk.sh

# The AWS stand-ins and osls come from package.json; install them when missing or stale.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

exec ./mvnw -B verify "$@"
