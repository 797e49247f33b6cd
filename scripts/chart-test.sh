#!/usr/bin/env bash
# The Helm chart's proof: install helm (idempotent), lint deploy/chart strictly with every preset,
# run the differential tests against kubeplay's renderer (deploy/tests/helm_diff.rs), then time
# `kubeplay render` against `helm template` on the same values (the default preset).
#   --no-bench   skip the timing (it builds kubeplay in release mode).
# KUBEPLAY_BIN picks the kubeplay binary to time (default: a fresh target/release/kubeplay).
set -euo pipefail
cd "$(dirname "$0")/.."

bench=1
for arg in "$@"; do
  case "$arg" in
    --no-bench) bench=0 ;;
    *) echo "usage: scripts/chart-test.sh [--no-bench]" >&2; exit 2 ;;
  esac
done

helm="$(scripts/install-helm.sh)"

for preset in core/presets/*.yaml; do
  echo "helm lint --strict deploy/chart -f $preset"
  "$helm" lint --strict --quiet deploy/chart -f "$preset"
done

# The timing below still runs when a test fails; the script's exit status is the tests'.
status=0
KUBEPLAY_HELM="$helm" cargo test -p kubeplay --test helm_diff || status=$?

[[ "$bench" == 1 ]] || exit "$status"

if [[ -z "${KUBEPLAY_BIN:-}" ]]; then
  cargo build --quiet --release -p kubeplay
  KUBEPLAY_BIN=target/release/kubeplay
fi
render=("$KUBEPLAY_BIN" render --release todo-chatbot)
template=("$helm" template todo-chatbot deploy/chart)
# Same input, same output (the tests above prove the documents equal); time whole processes.
"${render[@]}" >/dev/null 2>&1 || { echo "chart-test: ${render[*]} failed" >&2; exit 2; }
"${template[@]}" >/dev/null 2>&1 || { echo "chart-test: ${template[*]} failed" >&2; exit 2; }

if command -v hyperfine >/dev/null; then
  # hyperfine rewrites its export after each command: write it to a file, print it once.
  table="$(mktemp)"
  hyperfine --warmup 5 --runs 50 -N --export-markdown "$table" \
    -n "kubeplay render" "${render[*]}" \
    -n "helm template" "${template[*]}"
  cat "$table"
  rm -f "$table"
else
  # No hyperfine (apt-get install hyperfine): 50 runs of each, mean wall time.
  mean_us() {
    local runs=50 start end
    start=$(date +%s%N)
    for _ in $(seq "$runs"); do "$@" >/dev/null 2>&1; done
    end=$(date +%s%N)
    echo $(( (end - start) / runs / 1000 ))
  }
  render_us=$(mean_us "${render[@]}")
  template_us=$(mean_us "${template[@]}")
  echo "kubeplay render: $((render_us / 1000)).$(printf '%03d' $((render_us % 1000))) ms per run (mean of 50)"
  echo "helm template:   $((template_us / 1000)).$(printf '%03d' $((template_us % 1000))) ms per run (mean of 50)"
  awk -v k="$render_us" -v h="$template_us" 'BEGIN { printf "helm template / kubeplay render = %.1fx\n", h / k }'
fi
exit "$status"
