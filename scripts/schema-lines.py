#!/usr/bin/env python3
"""Where kubernetes-validate rejects a peer linter's fixture, kubeplay must say so at that field
and on that line.

    scripts/schema-lines.py [KUBEPLAY] [--corpus DIR] [--version V]

The fixtures of kube-linter and kube-score (../shared/corpus/peers, or $KUBEPLAY_CORPUS) were
written for linters, not for a cluster: many miss a selector or a `pathType`. Their EXPECTED.tsv
lists no schema rows, so this judges them here. For each document `kubernetes-validate --strict`
rejects (it names its first error only), kubeplay must report an error (`schema-invalid`, or
`manifest-invalid` where its reader stops) for the same field, on the line PyYAML's composer
places it:
- an unknown field: the line of its key;
- a missing field: the line of the object that lacks it (its key, or where its map starts);
- a wrong value: the line where the value starts.
A document of a kind kubernetes-validate has no schema for is kubeplay's `api-removed` or
`unmodeled-kind`, not judged here, and so is a field PyYAML's composer cannot find (behind a
`<<` merge key). Exits non-zero on any miss, listing them.
"""
import glob
import json
import os
import re
import subprocess
import sys

import kubernetes_validate as kv
import yaml

from field_path import text

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def walk(node, path):
    """(key node or None, value node) at `path` under a composed node, or None."""
    key = None
    for step in path:
        if isinstance(node, yaml.MappingNode):
            found = [(k, v) for k, v in node.value if k.value == step]
            if not found:
                return None
            key, node = found[0]
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            key, node = None, node.value[step]
        else:
            return None
    return key, node


def expectations(error, root):
    """(field path, lines kubeplay may put the finding on, what) for each field a
    kubernetes-validate error names (several unknown fields of one object are one error)."""
    path = list(error.path)
    if error.validator == "required":
        missing = re.match(r"'([^']+)' is a required property", error.message).group(1)
        found = walk(root, path)
        if found is None:
            return []
        key, node = found
        lines = {node.start_mark.line + 1} | ({key.start_mark.line + 1} if key else set())
        return [(path + [missing], lines, "missing")]
    if error.validator == "additionalProperties":
        listed = re.search(r"\((.*) (?:was|were) unexpected\)", error.message).group(1)
        out = []
        for unknown in re.findall(r"'([^']+)'", listed):
            found = walk(root, path + [unknown])
            if found is not None and found[0] is not None:
                out.append((path + [unknown], {found[0].start_mark.line + 1}, "unknown field"))
        return out
    found = walk(root, path)
    return [] if found is None else [(path, {found[1].start_mark.line + 1}, error.validator)]


def main():
    args = sys.argv[1:]
    valued = ("--corpus", "--version")
    option = lambda name, default: args[args.index(name) + 1] if name in args else default  # noqa: E731
    positional = [a for i, a in enumerate(args) if not a.startswith("--") and (i == 0 or args[i - 1] not in valued)]
    kubeplay = positional[0] if positional else os.path.join(ROOT, "target", "debug", "kubeplay")
    corpus = option("--corpus", os.environ.get("KUBEPLAY_CORPUS", os.path.join(ROOT, "..", "shared", "corpus")))
    version = option("--version", "1.35")
    peers = os.path.join(corpus, "peers")
    if not os.path.isdir(peers):
        print(f"SKIP: no corpus at {corpus} (set KUBEPLAY_CORPUS)")
        return
    files = sorted(f for pattern in ("**/*.yaml", "**/*.yml") for f in glob.glob(os.path.join(peers, pattern), recursive=True))
    out = subprocess.run([kubeplay, "validate", "--format", "json", "--kube-version", version, *files],
                         capture_output=True, text=True)
    diagnostics = json.loads(out.stdout or "[]")
    errors = {}
    for d in diagnostics:
        if d["severity"] == "error" and d["rule"] in ("schema-invalid", "manifest-invalid"):
            errors.setdefault(d.get("file"), []).append(d)
    judged, misses, by_what = 0, [], {}
    for file in files:
        with open(file) as f:
            source = f.read()
        try:
            roots = list(yaml.compose_all(source))
            docs = list(yaml.safe_load_all(source))
        except yaml.YAMLError:
            continue
        for root, doc in zip(roots, docs):
            if not isinstance(doc, dict) or "kind" not in doc:
                continue
            try:
                kv.validate(doc, version + ".0", strict=True)
                continue
            except kv.ValidationError as error:
                expected = expectations(error, root)
            except Exception:  # no schema for the kind: not judged here
                continue
            span = range(root.start_mark.line + 1, root.end_mark.line + 2)
            mine = [d for d in errors.get(file, []) if d.get("line") in span]
            for field, lines, what in expected:
                judged += 1
                want = text(field)
                hit = [d for d in mine
                       if d.get("field") == want or (d["rule"] == "manifest-invalid" and f"`{want}`" in d["message"])]
                ok = any(d.get("line") in lines for d in hit)
                by_what[what] = by_what.get(what, [0, 0])
                by_what[what][0 if ok else 1] += 1
                if not ok:
                    name = os.path.relpath(file, peers)
                    found = ", ".join(f"{d.get('field')}@{d.get('line')}" for d in mine) or "nothing"
                    misses.append(f"{name}:{sorted(lines)} {doc['kind']} {want} ({what}): kubeplay reports {found}")
    for what, (ok, bad) in sorted(by_what.items()):
        print(f"  {what:16} {ok}/{ok + bad}")
    print(f"peer fixtures rejected by kubernetes-validate {version}: {judged - len(misses)}/{judged} "
          "reported by kubeplay at the same field and line")
    if misses:
        print("\n".join(misses[:40]))
        sys.exit(f"{len(misses)} misses")


if __name__ == "__main__":
    main()
