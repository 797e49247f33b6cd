#!/usr/bin/env bash
# The browser app's tests: set up (idempotent); the component tests (app/src/components/tests.rs)
# in headless Chromium through wasm-bindgen-test-runner; then the end-to-end tests: build the
# release app and the CLI it is compared with, serve dist/ on 127.0.0.1, run `node --test e2e/`
# in Debian's Chromium, stop the server. Screenshots land in artifacts/. Exit status is non-zero
# when any test failed or did not run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/app-setup.sh

# wasm-bindgen-test-runner comes with wasm-bindgen-cli (app-setup.sh) and drives Chromium through
# chromedriver (Debian's chromium-driver), headless. The cfg is the release build's
# (scripts/app-build.sh), so the tests run the components as shipped.
export PATH="$HOME/.cargo/bin:$PATH"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
[ -x "$CHROMEDRIVER" ] || { echo "app-test: no chromedriver at $CHROMEDRIVER (Debian package chromium-driver)" >&2; exit 1; }
components_log="$(mktemp)"
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="--cfg erase_components" \
  cargo test -p kubeplay-app --target wasm32-unknown-unknown 2>&1 | tee "$components_log"
# A runner that finds no browser, or tests that are ignored or filtered out, must not pass quietly:
# every result line must say some passed and none failed, ignored or filtered out.
results="$(grep -E '^test result:' "$components_log" || true)"
rm -f "$components_log"
if [ -z "$results" ] || grep -qvE '^test result: ok\. [1-9][0-9]* passed; 0 failed; 0 ignored(; 0 measured)?; 0 filtered out' <<<"$results"; then
  echo "app-test: the component tests did not all run and pass:" >&2
  echo "${results:-(no test result line)}" >&2
  exit 1
fi
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
