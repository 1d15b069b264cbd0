#!/usr/bin/env bash
# Prints "<TestClass> <assertions>" for every test class under service/ and cli/, sorted by class
# name, so that a refactor can be checked for dropped assertions: run it before and after and diff.
# Counts AssertJ/JUnit assertion calls (assertThat*, assertEquals, assertTrue, ..., fail(, verify-style
# helpers named assert*/expect*), summed per simple class name, wherever the file lives.
set -euo pipefail
cd "$(dirname "$0")/.."
find service/src/test cli/src/test -name '*.java' | while read -r f; do
  cls=$(basename "$f" .java)
  n=$( (grep -oE '\b(assert[A-Za-z]*|fail|expect[A-Z][A-Za-z]*)\(' "$f" || true) | wc -l)
  printf '%s %s\n' "$cls" "$n"
done | awk '{n[$1] += $2} END {for (c in n) print c, n[c]}' | sort
