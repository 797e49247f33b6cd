#!/usr/bin/env bash
# Judge kubeplay's output with the Kubernetes API schemas: every preset rendered by the CLI, plus
# a corpus of renders of generated values, through `kubernetes-validate --strict` (offline: the
# package ships the schemas) for Kubernetes 1.33.0, the version kubeplay models.
# Fails, naming each file, if any render is empty or invalid.
#
#   KUBEPLAY_CORPUS_COUNT   generated renders to check (default 50)
#   KUBEPLAY_CORPUS_SEED    which generated renders (default 0: the same corpus every run)
#   KUBEPLAY_VALIDATE_DIR   where the files are written (default target/validate-k8s)
set -euo pipefail
cd "$(dirname "$0")/.."

K8S_VERSION=1.33.0
count="${KUBEPLAY_CORPUS_COUNT:-50}"
out="${KUBEPLAY_VALIDATE_DIR:-target/validate-k8s}"

command -v kubernetes-validate >/dev/null 2>&1 || { echo "validate-k8s: kubernetes-validate is missing; run scripts/setup.sh" >&2; exit 1; }

# The judge must judge: a Service with a field the schema does not have has to be rejected, and
# the 1.33.0 schemas have to be there (newer kubernetes-validate releases drop old versions).
canary="$(mktemp)"
trap 'rm -f "$canary"' EXIT
printf 'apiVersion: v1\nkind: Service\nmetadata:\n  name: canary\nspec:\n  ports:\n    - port: 80\n      bogus: 1\n' >"$canary"
if kubernetes-validate --strict --quiet -k "$K8S_VERSION" "$canary" >/dev/null 2>&1; then
  echo "validate-k8s: kubernetes-validate accepted an invalid Service; it is not checking against $K8S_VERSION schemas" >&2
  exit 1
fi
sed -i '/bogus/d' "$canary"
kubernetes-validate --strict --quiet -k "$K8S_VERSION" "$canary" \
  || { echo "validate-k8s: kubernetes-validate rejects a valid Service; are the $K8S_VERSION schemas installed?" >&2; exit 1; }

cargo build --quiet -p kubeplay
# Fresh files each run: a stale render must never pass for a new one.
rm -rf "$out"
mkdir -p "$out/presets"
out="$(cd "$out" && pwd)"
# A pattern that matches nothing expands to nothing, not to itself.
shopt -s nullglob

# Failing files, as keys: a file can fail both its render and its check but is listed once.
declare -A failed=()

# The presets are the files in core/presets/ (core embeds exactly these).
for preset_file in core/presets/*.yaml; do
  name="$(basename "$preset_file" .yaml)"
  render="$out/presets/$name.yaml"
  # The CLI explains its findings on stderr; they matter here only when the render fails.
  if ! target/debug/kubeplay render --preset "$name" >"$render" 2>"$render.log"; then
    echo "validate-k8s: 'kubeplay render --preset $name' failed:" >&2
    cat "$render.log" >&2
    failed["$render"]=1
  fi
done

KUBEPLAY_CORPUS_DIR="$out/corpus" KUBEPLAY_CORPUS_COUNT="$count" \
  cargo test --quiet -p kubeplay-core --test corpus -- --ignored

files=("$out"/presets/*.yaml "$out"/corpus/renders/*.yaml)
expected=$(($(ls core/presets/*.yaml | wc -l) + count))
if ((${#files[@]} != expected)); then
  echo "validate-k8s: found ${#files[@]} files to check, expected $expected (presets + $count generated)" >&2
  exit 1
fi
for file in "${files[@]}"; do
  # kubernetes-validate passes a file with no documents; an empty render is a failure here.
  if ! grep -q '^kind:' "$file"; then
    echo "validate-k8s: $file holds no manifests" >&2
    failed["$file"]=1
    continue
  fi
  if ! kubernetes-validate --strict --quiet -k "$K8S_VERSION" "$file"; then
    failed["$file"]=1
  fi
done

if ((${#failed[@]})); then
  echo "validate-k8s: ${#failed[@]} of ${#files[@]} files are not valid Kubernetes $K8S_VERSION:" >&2
  printf '  %s\n' "${!failed[@]}" | sort >&2
  echo "  (a corpus render's values are in $out/corpus/values/ under the same name)" >&2
  exit 1
fi
echo "validate-k8s: ${#files[@]} files valid against Kubernetes $K8S_VERSION (strict)"
