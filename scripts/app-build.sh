#!/usr/bin/env bash
# Build the browser app for release (wasm-release cargo profile, wasm-opt -Oz) into dist/.
# Offline: Trunk uses the pinned tools already installed (scripts/app-setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
# wasm-opt comes from the npm package binaryen; Trunk finds it on PATH.
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
trunk build --release "$@"
