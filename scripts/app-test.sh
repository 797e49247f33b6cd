#!/usr/bin/env bash
# The browser app's end-to-end tests: set up (idempotent), build the release app and the CLI it
# is compared with, serve dist/ on 127.0.0.1, run `node --test e2e/` in Debian's Chromium, stop
# the server. Screenshots land in artifacts/. Exit status is the tests'.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/app-setup.sh
scripts/app-build.sh
# `manifests.yaml` is compared byte for byte with `kubeplay render`.
cargo build --quiet -p kubeplay

PORT="${PORT:-$((20000 + RANDOM % 20000))}"
node e2e/serve.mjs dist "$PORT" &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  curl -fsS -o /dev/null "http://127.0.0.1:$PORT/" 2>/dev/null && break
  sleep 0.1
done
KUBEPLAY_URL="http://127.0.0.1:$PORT/" node --test --test-reporter=spec e2e/
