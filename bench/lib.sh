# Shared by the bench scripts: finds the JDK, builds the service if needed, starts and stops it.
# shellcheck shell=bash
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/jdk.sh"

bench_machine() {
  echo "machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
}

need_wrk() {
  if ! command -v wrk >/dev/null; then
    echo "wrk is missing: installing the Debian package with apt-get" >&2
    apt-get update -qq && apt-get install -y -qq wrk >/dev/null
  fi
}

# Starts the local service on a free port with the given extra env; sets SERVER_PID, SERVER_URL, SERVER_LOG.
start_server() {
  SERVER_LOG=$(mktemp /tmp/longtasks-bench-server.XXXXXX.log)
  env PORT=0 "$@" scripts/run-local.sh >"$SERVER_LOG" 2>&1 &
  SERVER_PID=$!
  local port=""
  for _ in $(seq 1 600); do
    port=$(sed -n 's/^listening on http:\/\/localhost:\([0-9]*\).*/\1/p' "$SERVER_LOG" | head -1)
    [ -n "$port" ] && break
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$SERVER_LOG" >&2; echo "the server did not start" >&2; exit 1; }
    sleep 0.2
  done
  [ -n "$port" ] || { echo "the server did not print its port" >&2; exit 1; }
  SERVER_URL="http://127.0.0.1:$port"
  trap stop_server EXIT
}

stop_server() {
  if [ -n "${SERVER_PID:-}" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
}

median() {
  sort -g | awk '{a[NR]=$1} END {if (NR==0) {print "n/a"} else if (NR%2) {print a[(NR+1)/2]} else {print (a[NR/2]+a[NR/2+1])/2}}'
}
