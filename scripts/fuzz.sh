#!/usr/bin/env bash
# Fuzz kubeplay-core with cargo-fuzz (libFuzzer): the targets are in core/fuzz/fuzz_targets/.
#
#   scripts/fuzz.sh TARGET [SECONDS]   one target, 600 s unless told (FUZZ_RUNS=N: or N executions,
#                                      whichever comes first); new inputs are kept in
#                                      core/fuzz/corpus/TARGET, findings in core/fuzz/artifacts/TARGET
#   scripts/fuzz.sh TARGET FILE        run one input (a finding) once, with its panic message
#   scripts/fuzz.sh --smoke            every target for a few seconds from its seeds (scripts/test.sh)
#   scripts/fuzz.sh --list             the targets
#
# Every run ends with one line: executions, executions/s, coverage (edges and features), peak
# RSS. A crash, a case over 1 s or over 512 MB RSS stops the run with a non-zero status and the
# input in core/fuzz/artifacts/TARGET/. Seeds are written by core/fuzz/seeds.py when missing.
# Long runs go easy on a shared machine: `nice -n 19 scripts/fuzz.sh manifests 7200`. libFuzzer's
# timeout is wall time, and a niced process on a busy machine can wait seconds for a CPU, so such
# runs may pass FUZZ_TIMEOUT=10: each case over 1 s is still kept (slow-unit-* in the artifacts)
# and, at the end, replayed alone and timed, which is the number that counts.
set -euo pipefail
cd "$(dirname "$0")/.."

FUZZ=core/fuzz
TARGETS=(values manifests set_args share_link yaml_readers)
# Past every size limit of core (source::MAX_INPUT_BYTES, 8 MiB) and of share links (4 MiB), so
# the fuzzer may reach them; libFuzzer grows inputs slowly towards this from the seeds' sizes.
MAX_LEN=$((8 * 1024 * 1024 + 4096))
SMOKE_SECONDS=11
TIMEOUT=${FUZZ_TIMEOUT:-1}
RUNS=${FUZZ_RUNS:--1}

# cargo-fuzz needs nightly flags; stable rustc accepts them with RUSTC_BOOTSTRAP. No sanitizer:
# safe Rust gains little from ASan, and the build and runs are several times faster without.
# -a: debug assertions and overflow checks, so arithmetic overflow is a finding too.
cargo_fuzz() {
  RUSTC_BOOTSTRAP=1 cargo fuzz "$1" --fuzz-dir "$FUZZ" -s none -a "${@:2}"
}

need_cargo_fuzz() {
  cargo fuzz --version >/dev/null 2>&1 || { echo "fuzz: cargo-fuzz is not installed (scripts/setup.sh installs it)" >&2; exit 2; }
}

# libFuzzer's random seed: left to libFuzzer for long runs; fixed for the smoke run, so that a
# slower machine runs a prefix of the mutations a faster one tried, not new ones.
SEED_ARGS=()

# run TARGET SECONDS CORPUS_DIR: fuzz, keep the log, print the summary line.
run() {
  local target="$1" seconds="$2" corpus="$3" log
  [[ -d "$FUZZ/seeds/$target" ]] || python3 "$FUZZ/seeds.py" >&2
  mkdir -p "$corpus" "$FUZZ/logs"
  log="$FUZZ/logs/$target.log"
  local status=0
  cargo_fuzz run "$target" "$corpus" "$FUZZ/seeds/$target" -- \
    -max_total_time="$seconds" -runs="$RUNS" -timeout="$TIMEOUT" -report_slow_units=1 -rss_limit_mb=512 -max_len="$MAX_LEN" \
    -dict="$FUZZ/yaml.dict" -print_final_stats=1 -print_pcs=0 "${SEED_ARGS[@]}" >"$log" 2>&1 || status=$?
  summarize "$target" "$log" "$status"
  replay_slow "$target" || status=1
  return "$status"
}

# Each case that took over 1 s in the run (wall time, however busy the machine was), run again
# alone: a finding when it still takes over 1 s.
replay_slow() {
  local target="$1" file ms slow=0
  shopt -s nullglob
  for file in "$FUZZ/artifacts/$target"/slow-unit-*; do
    ms=$("$FUZZ/target/x86_64-unknown-linux-gnu/release/$target" "$file" 2>&1 | sed -n 's/^Executed .* in \([0-9]*\) ms$/\1/p')
    echo "fuzz $target: $(basename "$file") ($(wc -c <"$file") bytes) took over 1 s in the run, ${ms:-?} ms alone"
    if [[ -z "$ms" ]] || ((ms > 1000)); then slow=1; fi
  done
  shopt -u nullglob
  return "$slow"
}

# The last status line and the final stats of a libFuzzer log, as one line.
summarize() {
  local target="$1" log="$2" status="$3" last execs rate rss time
  last=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
  execs=$(sed -n 's/^stat::number_of_executed_units: //p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: //p' "$log" | tail -1)
  rss=$(sed -n 's/^stat::peak_rss_mb: //p' "$log" | tail -1)
  time=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
  printf 'fuzz %s: %s executions in %s s (%s/s), cov %s, ft %s, corpus %s, peak RSS %s MB, %s\n' \
    "$target" "${execs:-?}" "${time:-?}" "${rate:-?}" \
    "$(grep -oE 'cov: [0-9]+' <<<"$last" | cut -d' ' -f2)" \
    "$(grep -oE 'ft: [0-9]+' <<<"$last" | cut -d' ' -f2)" \
    "$(grep -oE 'corp: [0-9]+/[0-9]+[a-zA-Z]*' <<<"$last" | cut -d' ' -f2)" \
    "${rss:-?}" "$( ((status == 0)) && echo "no finding" || echo "FINDING (exit $status, see $log)")"
  if ((status != 0)); then
    grep -E 'panicked at|ERROR: libFuzzer|SUMMARY|Test unit written to|deadly signal|timeout|out-of-memory' "$log" | head -8 >&2 || true
  fi
}

case "${1:-}" in
  --list)
    printf '%s\n' "${TARGETS[@]}"
    ;;
  --smoke)
    need_cargo_fuzz
    cargo_fuzz build >&2
    python3 "$FUZZ/seeds.py" >&2
    SEED_ARGS=(-seed=1)
    failed=0
    for target in "${TARGETS[@]}"; do
      # A fresh corpus: the smoke run checks the seeds and a few seconds of mutations, the
      # same every time, and leaves nothing behind.
      scratch=$(mktemp -d)
      run "$target" "$SMOKE_SECONDS" "$scratch" || failed=1
      rm -rf "$scratch"
    done
    exit "$failed"
    ;;
  "" | -*)
    echo "usage: scripts/fuzz.sh TARGET [SECONDS] | --smoke | --list (targets: ${TARGETS[*]})" >&2
    exit 2
    ;;
  *)
    target="$1"
    [[ " ${TARGETS[*]} " == *" $target "* ]] || { echo "fuzz: no target '$target' (targets: ${TARGETS[*]})" >&2; exit 2; }
    need_cargo_fuzz
    if [[ -f "${2:-}" ]]; then
      cargo_fuzz run "$target" "$2"
    else
      run "$target" "${2:-600}" "$FUZZ/corpus/$target"
    fi
    ;;
esac
