#!/usr/bin/env bash
# Benchmarks of the built app (edit-to-view time, wasm/JS sizes). Build first: scripts/app-build.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f dist/index.html ] || scripts/app-build.sh
node e2e/bench.mjs "$@"
