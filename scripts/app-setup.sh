#!/usr/bin/env bash
# Set up everything the browser app needs to build and be tested, offline afterwards.
# Idempotent: each step is skipped when its result is already there.
#   Chromium and zopfli (Debian packages), node tools (binaryen's wasm-opt, playwright-core) in node_modules,
#   the wasm32 target, trunk and wasm-bindgen-cli at the pinned versions, and the crates.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.22.1
WASM_BINDGEN_VERSION=0.2.130
WASM_OPT_VERSION=132

# Serving the app needs no browser: scripts/app-serve.sh sets KUBEPLAY_NO_BROWSER=1.
# chromedriver drives it for the component tests (wasm-bindgen-test-runner).
if [ "${KUBEPLAY_NO_BROWSER:-0}" != 1 ] && ! { command -v chromium && command -v chromedriver; } >/dev/null 2>&1; then
  echo "app-setup: installing chromium (apt)" >&2
  apt-get update
  apt-get install -y chromium chromium-driver
fi

# zopfli writes the gzip that scripts/app-postbuild.sh embeds (4% smaller than zlib -9).
if ! command -v zopfli >/dev/null 2>&1; then
  echo "app-setup: installing zopfli (apt)" >&2
  apt-get update
  apt-get install -y zopfli
fi

if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/axe-core ]; then
  echo "app-setup: npm install (binaryen, playwright-core, axe-core)" >&2
  npm install --no-audit --no-fund
fi
node_modules/.bin/wasm-opt --version | grep -q "version ${WASM_OPT_VERSION}" \
  || { echo "app-setup: node_modules/.bin/wasm-opt is not version ${WASM_OPT_VERSION}" >&2; exit 1; }

rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown

if ! trunk --version 2>/dev/null | grep -q "${TRUNK_VERSION}"; then
  echo "app-setup: installing trunk ${TRUNK_VERSION}" >&2
  cargo install --locked "trunk@${TRUNK_VERSION}" --ignore-rust-version
fi
if ! wasm-bindgen --version 2>/dev/null | grep -q "${WASM_BINDGEN_VERSION}"; then
  echo "app-setup: installing wasm-bindgen-cli ${WASM_BINDGEN_VERSION}" >&2
  # Not --locked: its lock pins a crate version the registry mirror lacks.
  cargo install "wasm-bindgen-cli@${WASM_BINDGEN_VERSION}"
fi

cargo fetch --quiet
