#!/usr/bin/env bash
# Builds taskctl and installs it into ${PREFIX:-$HOME/.local}: bin/taskctl (+ share/taskctl/).
#   - GRAALVM_HOME with bin/native-image: a native binary (Maven profile `native`).
#   - otherwise: the shaded jar plus a launcher tuned for a short-lived CLI, with an AOT cache
#     (JDK >= 25, recorded by a training run now) or a CDS archive (JDK 21-24).
# Safe to run again: it replaces what it installed before.
# TASKCTL_JAR=path/to/taskctl-X.jar skips the build and installs that jar (used by the e2e tests).
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
PREFIX="${PREFIX:-$HOME/.local}"
BIN="$PREFIX/bin"
SHARE="$PREFIX/share/taskctl"

say() { printf '%s\n' "$*" >&2; }

if [ -n "${GRAALVM_HOME:-}" ] && [ -x "$GRAALVM_HOME/bin/native-image" ]; then
  say "building the native taskctl with GraalVM at $GRAALVM_HOME (Maven profile 'native')..."
  JAVA_HOME="$GRAALVM_HOME" ./mvnw -B -q -DskipTests -pl cli -am package
  mkdir -p "$BIN"
  rm -f "$BIN/taskctl"
  cp cli/target/taskctl "$BIN/taskctl"
  rm -rf "$SHARE"
  KIND="native binary"
else
  source scripts/jdk.sh
  JAVA="$JAVA_HOME/bin/java"
  MAJOR=$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | cut -d. -f1)
  if [ -n "${TASKCTL_JAR:-}" ]; then
    # The end-to-end tests run inside a Maven build that has just made the jar: install that one.
    JAR_SRC="$TASKCTL_JAR"
  else
    say "building taskctl with the JDK $MAJOR at $JAVA_HOME..."
    ./mvnw -B -q -DskipTests -pl cli -am package
    JAR_SRC=$(ls cli/target/taskctl-*.jar | grep -v '/original-' | head -n1)
  fi
  VERSION=$(basename "$JAR_SRC" .jar); VERSION=${VERSION#taskctl-}
  mkdir -p "$BIN" "$SHARE"
  # Old versions' files go: the launcher only ever points at the version installed last.
  find "$SHARE" -maxdepth 1 -type f \( -name 'taskctl-*.jar' -o -name 'taskctl-*.aot' -o -name 'taskctl-*.jsa' \) -delete
  JAR="$SHARE/taskctl-$VERSION.jar"

  # Flags for a CLI that lives a fraction of a second: C1 only, and only for methods run ten times
  # as often as by default (most compiles of a short run never pay back; BENCHMARKS.md has the
  # figures), the serial collector, a small heap, no perf-data file. The same flags are used to
  # record the cache, or it would be refused.
  FLAGS="-XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=10 -XX:+UseSerialGC -Xms16m -Xmx512m -Xss1m -XX:-UsePerfData"
  if [ "$MAJOR" -ge 25 ]; then
    CACHE="$SHARE/taskctl-$VERSION.aot"
    # picocli's Java 5 class files cannot be AOT-linked: the installed jar has them rewritten as
    # Java 8 ones (scripts/RetargetClassFiles.java says why and how). Should that fail, the jar
    # goes in as built and the cache is recorded without class linking, as before.
    LINKING=""
    say "rewriting picocli's class files for the AOT cache..."
    if ! "$JAVA" scripts/RetargetClassFiles.java "$JAR_SRC" "$JAR" 2>"$SHARE/retarget.log"; then
      say "warning: picocli's class files could not be rewritten (see $SHARE/retarget.log); start-up will be slower"
      cp "$JAR_SRC" "$JAR"
      LINKING="-XX:-AOTClassLinking"
    fi
    say "recording the AOT cache (training run)..."
    # shellcheck disable=SC2086
    "$JAVA" $FLAGS -XX:AOTCacheOutput="$CACHE" $LINKING -cp "$JAR" dev.longtasks.cli.AotTraining \
      >/dev/null 2>"$SHARE/training.log" || { cat "$SHARE/training.log" >&2; exit 1; }
    CACHE_FLAG="-XX:AOTCache=$CACHE -Xlog:aot=off,cds=off"
    KIND="JVM launcher, JDK $MAJOR, AOT cache"
  else
    cp "$JAR_SRC" "$JAR"
    CACHE="$SHARE/taskctl-$VERSION.jsa"
    say "recording the CDS archive (training run)..."
    # shellcheck disable=SC2086
    "$JAVA" $FLAGS -XX:ArchiveClassesAtExit="$CACHE" -cp "$JAR" dev.longtasks.cli.AotTraining \
      >/dev/null 2>"$SHARE/training.log" || { cat "$SHARE/training.log" >&2; exit 1; }
    CACHE_FLAG="-Xshare:auto -XX:SharedArchiveFile=$CACHE -Xlog:cds=off"
    KIND="JVM launcher, JDK $MAJOR, CDS archive"
  fi
  printf '%s\n' "$JAVA_HOME" > "$SHARE/java-home"

  TMP="$BIN/.taskctl.$$"
  cat > "$TMP" <<LAUNCHER
#!/bin/sh
# taskctl $VERSION launcher, written by install.sh from $ROOT.
# It runs the JDK it was installed with; run install.sh again after changing JDKs.
exec "$JAVA" $FLAGS $CACHE_FLAG -cp "$JAR" dev.longtasks.cli.Main "\$@"
LAUNCHER
  chmod 755 "$TMP"
  mv -f "$TMP" "$BIN/taskctl"
fi

say "installed: $BIN/taskctl ($KIND)"
"$BIN/taskctl" --version >&2
case ":$PATH:" in
  *":$BIN:"*) ;;
  *) say "add it to your PATH, e.g. in ~/.bashrc or ~/.zshrc:"
     say "  export PATH=\"$BIN:\$PATH\"" ;;
esac
say "shell completion: source <(taskctl completion bash)   # or zsh"
