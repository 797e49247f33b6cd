#!/usr/bin/env bash
# The one test command (README, CI): set up, then every test, build, lint and external judge.
# Every step runs even after one fails; the last line says `N passed, N failed` and the exit
# status is non-zero when any step failed.
set -euo pipefail
cd "$(dirname "$0")/.."

passed=0
failed=0
summary=()

# step NAME COMMAND...: run one step, time it, count it.
step() {
  local name="$1"
  shift
  echo
  echo "=== $name: $*"
  local started=$SECONDS status=0
  "$@" || status=$?
  local took=$((SECONDS - started))
  if ((status == 0)); then
    passed=$((passed + 1))
    summary+=("$(printf 'pass  %4ss  %s' "$took" "$name")")
  else
    failed=$((failed + 1))
    summary+=("$(printf 'FAIL  %4ss  %s (exit %s)' "$took" "$name" "$status")")
  fi
}

# Everything the tests use: Rust targets and crates, kubernetes-validate, helm (for the chart's
# differential tests inside `cargo test`), and the browser toolchain with Chromium.
step "setup" scripts/setup.sh helm trunk
# --no-fail-fast: one failing test binary must not hide the results of the others.
# KUBEPLAY_HELM points deploy/tests/helm_diff.rs at the helm that setup installed.
step "cargo test" env KUBEPLAY_HELM="$PWD/.tools/bin/helm" KUBEPLAY_REQUIRE_DOT=1 cargo test --workspace --no-fail-fast
# External judges: the real apps and the peer linters' fixtures (../shared/corpus/score.py),
# with the kubeplay binary cargo test just built.
step "corpus judges" scripts/score-corpus.sh target/debug/kubeplay
# The peer fixtures kubernetes-validate rejects: kubeplay at the same field and line.
step "schema lines of peer fixtures" python3 scripts/schema-lines.py target/debug/kubeplay
step "wasm build of core" cargo build -p kubeplay-core --target wasm32-unknown-unknown
if cargo clippy --version >/dev/null 2>&1; then
  step "clippy" cargo clippy --workspace --all-targets -- -D warnings
else
  summary+=("skip        clippy (not installed: rustup component add clippy)")
fi
# Licences, bans and sources of every dependency (deny.toml; advisories need a database this
# machine cannot fetch, see there).
step "cargo deny" cargo deny --locked check --hide-inclusion-graph licenses bans sources
step "kubernetes schemas" scripts/validate-k8s.sh
# core/schemas/ is what the generator makes of the pinned kubernetes-validate's schemas.
step "compact schemas current" python3 scripts/gen-kube-schemas.py --check
# kubeplay's schema-invalid against kubernetes-validate --strict: 1,500 mutated manifests, every
# embedded version, with the kubeplay binary cargo test built.
step "schema differential" python3 scripts/schema-differential.py target/debug/kubeplay
step "helm lint" bash -c 'for p in core/presets/*.yaml; do .tools/bin/helm lint --strict --quiet deploy/chart -f "$p" || exit 1; done'
step "browser end to end" scripts/app-test.sh
step "benches, once each" cargo bench -p kubeplay-core --bench pipeline -- --test
# Hostile input within a second per case, as an optimised build runs it (cargo test ran it in debug).
step "hostile input, release" cargo test --release -p kubeplay-core --test hostile_input
# Every fuzz target from its seeds for a few seconds (long runs: scripts/fuzz.sh TARGET SECONDS).
step "fuzz smoke" scripts/fuzz.sh --smoke

echo
echo "=== summary"
printf '%s\n' "${summary[@]}"
echo "$passed passed, $failed failed"
((failed == 0))
