#!/usr/bin/env bash
# Build the app and serve it on http://127.0.0.1:${PORT:-8080}/ (Ctrl+C stops). Works offline.
set -euo pipefail
cd "$(dirname "$0")/.."
KUBEPLAY_NO_BROWSER=1 scripts/app-setup.sh
scripts/app-build.sh
exec node e2e/serve.mjs dist "${PORT:-8080}"
