#!/usr/bin/env bash
# Install what the tests need on a fresh Debian machine that already has Rust (1.85+):
# the wasm32 target, kubernetes-validate (the schema judge of scripts/validate-k8s.sh), Graphviz,
# cargo-fuzz (scripts/fuzz.sh), cargo-deny (deny.toml) and the crates. Idempotent: every step checks whether its result is already there and skips if so.
#
# Extras, for the parts of the project that need more (not run by default):
#   scripts/setup.sh helm        helm and kubectl into .tools/bin (scripts/install-helm.sh)
#   scripts/setup.sh trunk       trunk and the browser toolchain (scripts/app-setup.sh)
#   scripts/setup.sh chromium    Chromium for the browser tests (scripts/app-setup.sh)
set -euo pipefail
cd "$(dirname "$0")/.."

# Stamps remember finished steps whose result cannot be checked cheaply (gitignored: /.tools).
STAMPS=.tools/stamps

say() { echo "setup: $*" >&2; }

setup_wasm_target() {
  if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "wasm32-unknown-unknown target: already installed"
  else
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
}

# Pinned: core/schemas/ is generated from this release's schemas (scripts/gen-kube-schemas.py
# --check compares them), and newer releases drop old Kubernetes versions.
KUBERNETES_VALIDATE_VERSION=1.37.0

setup_kubernetes_validate() {
  if [[ "$(kubernetes-validate --version 2>/dev/null)" == "$KUBERNETES_VALIDATE_VERSION" ]]; then
    say "kubernetes-validate: already installed ($KUBERNETES_VALIDATE_VERSION)"
    return
  fi
  say "installing kubernetes-validate $KUBERNETES_VALIDATE_VERSION (pip)"
  if command -v pip >/dev/null 2>&1; then
    pip install --quiet "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION"
  else
    python3 -m pip install --quiet "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION"
  fi
  # pyenv installs scripts behind shims that appear only after a rehash.
  if command -v pyenv >/dev/null 2>&1; then pyenv rehash; fi
  command -v kubernetes-validate >/dev/null 2>&1 \
    || { say "kubernetes-validate was installed but is not on PATH (add pip's script directory)"; exit 1; }
}

setup_crates() {
  # Keyed on Cargo.lock: a new lock file means new crates to fetch.
  local stamp
  stamp="$STAMPS/cargo-fetch-$(sha256sum Cargo.lock | cut -c1-16)"
  if [[ -f "$stamp" ]]; then
    say "crates: already fetched for this Cargo.lock"
    return
  fi
  say "fetching crates"
  cargo fetch --quiet
  mkdir -p "$STAMPS"
  rm -f "$STAMPS"/cargo-fetch-*
  touch "$stamp"
}

# Extension points: each extra delegates to the script that owns that tool.
setup_helm() {
  say "helm: $(scripts/install-helm.sh)"
}
setup_trunk() {
  scripts/app-setup.sh
}
setup_chromium() {
  # app-setup.sh installs Chromium together with the rest of the browser toolchain.
  scripts/app-setup.sh
}

# Graphviz's `dot`: the layout yardstick, and the judge that kubeplay's DOT output parses.
setup_graphviz() {
  if command -v dot >/dev/null 2>&1; then
    say "graphviz: already installed"
  else
    say "installing graphviz (apt)"
    apt-get update -qq && apt-get install -y -qq graphviz >/dev/null
  fi
}

# setup_cargo_subcommand NAME VERSION: `cargo NAME` from crates.io (cargo install), unless there.
setup_cargo_subcommand() {
  local name="$1" version="$2"
  if cargo "$name" --version >/dev/null 2>&1; then
    say "cargo-$name: already installed ($(cargo "$name" --version))"
  else
    say "installing cargo-$name (cargo install)"
    cargo install --locked --quiet "cargo-$name@$version"
  fi
}

setup_wasm_target
setup_kubernetes_validate
setup_crates
setup_graphviz
# cargo-fuzz, for scripts/fuzz.sh (its smoke run is a step of scripts/test.sh).
setup_cargo_subcommand fuzz '^0.13'
# cargo-deny, for the licence, ban and source checks of deny.toml (a step of scripts/test.sh).
setup_cargo_subcommand deny '^0.20'

for extra in "$@"; do
  case "$extra" in
    helm) setup_helm ;;
    trunk) setup_trunk ;;
    chromium) setup_chromium ;;
    *) say "unknown extra '$extra' (known: helm, trunk, chromium)"; exit 2 ;;
  esac
done
