#!/usr/bin/env python3
"""Differential test of kubeplay's schema validation against `kubernetes-validate --strict`.

    scripts/schema-differential.py [KUBEPLAY] [--count N] [--seed S] [--keep DIR]

Generates N manifests (default 1500): valid objects of several kinds (and, when the shared
corpus is there, those of its real apps), each with one mutation
(unknown field, wrong type, bad enum value, missing field, bad quantity, bad date-time or base64), and checks them with
kubernetes-validate (in process: its own `validate`, schemas read once) and with
`kubeplay validate --format json --kube-version V` (all files in one run), for every version
core embeds. They must agree:

- where kubernetes-validate rejects, kubeplay reports an error (`schema-invalid`, or
  `manifest-invalid` when its reader stops at the field) at the mutated field, and nowhere else,
  and its line and column are where that key (unknown field) or value (wrong type) is written;
- where it accepts, kubeplay reports no such error;
- except where kubeplay knowingly checks more than the JSON Schemas say: enum values (the
  schemas carry none; core takes them from the field descriptions), the quantity grammar
  (the schemas accept any string), and the `date-time` and `byte` formats (the API server parses
  them; kubernetes-validate checks no format). There kubernetes-validate must accept and kubeplay must
  reject at the mutated field; these are counted apart.

Exits non-zero on any disagreement, listing the first ones.
"""
import copy
import json
import os
import random
import subprocess
import sys
import tempfile

import kubernetes_validate.utils as kv
import yaml

from field_path import text

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
VERSIONS = ["1.29", "1.30", "1.31", "1.32", "1.33", "1.34", "1.35"]

POD = {
    "serviceAccountName": "web",
    "restartPolicy": "Always",
    "securityContext": {"runAsNonRoot": True, "fsGroup": 2000},
    "containers": [
        {
            "name": "web",
            "image": "nginx:1.27",
            "imagePullPolicy": "IfNotPresent",
            "args": ["--port", "8080"],
            "ports": [{"name": "http", "containerPort": 8080, "protocol": "TCP"}],
            "env": [{"name": "MODE", "value": "prod"}, {"name": "KEY", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}}],
            "resources": {"requests": {"cpu": "100m", "memory": "64Mi"}, "limits": {"memory": "128Mi"}},
            "readinessProbe": {"httpGet": {"path": "/", "port": "http"}, "periodSeconds": 5},
            "volumeMounts": [{"name": "data", "mountPath": "/data", "readOnly": True}],
        }
    ],
    "volumes": [{"name": "data", "emptyDir": {"sizeLimit": "1Gi"}}],
    "tolerations": [{"key": "gpu", "operator": "Exists", "effect": "NoSchedule"}],
}
META = {"name": "web", "labels": {"app": "web"}, "annotations": {"note": "x"}}
TEMPLATE = {"metadata": {"labels": {"app": "web"}}, "spec": POD}
SELECTOR = {"matchLabels": {"app": "web"}, "matchExpressions": [{"key": "tier", "operator": "In", "values": ["a"]}]}

BASES = [
    {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": META,
     "spec": {"replicas": 2, "selector": SELECTOR, "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 1}},
              "template": TEMPLATE}},
    {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": META,
     "spec": {"serviceName": "web", "podManagementPolicy": "Parallel", "selector": SELECTOR, "template": TEMPLATE,
              "volumeClaimTemplates": [{"metadata": {"name": "data"}, "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}]}},
    {"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": META,
     "spec": {"selector": SELECTOR, "updateStrategy": {"type": "OnDelete"}, "template": TEMPLATE}},
    {"apiVersion": "batch/v1", "kind": "Job", "metadata": META,
     "spec": {"backoffLimit": 3, "completionMode": "Indexed", "completions": 2,
              "template": {"spec": dict(POD, restartPolicy="Never")}}},
    {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": META,
     "spec": {"schedule": "*/5 * * * *", "concurrencyPolicy": "Forbid",
              "jobTemplate": {"spec": {"template": {"spec": dict(POD, restartPolicy="OnFailure")}}}}},
    {"apiVersion": "v1", "kind": "Pod", "metadata": META, "spec": POD},
    {"apiVersion": "v1", "kind": "Service", "metadata": META,
     "spec": {"type": "NodePort", "selector": {"app": "web"}, "sessionAffinity": "None", "externalTrafficPolicy": "Local",
              "ports": [{"name": "http", "port": 80, "targetPort": "http", "nodePort": 30080, "protocol": "TCP"}]}},
    {"apiVersion": "v1", "kind": "ConfigMap", "metadata": META, "data": {"a": "1", "b": "two"}},
    {"apiVersion": "v1", "kind": "ConfigMap", "metadata": dict(META, creationTimestamp="2024-05-01T12:00:00Z"),
     "binaryData": {"logo.png": "iVBORw0KGgo=", "key.der": "MIIBCgKCAQEA"}},
    {"apiVersion": "admissionregistration.k8s.io/v1", "kind": "ValidatingWebhookConfiguration", "metadata": META,
     "webhooks": [{"name": "check.example.com", "admissionReviewVersions": ["v1"], "sideEffects": "None",
                   "clientConfig": {"url": "https://hook.example.com/check", "caBundle": "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t"}}]},
    {"apiVersion": "v1", "kind": "Secret", "metadata": META, "type": "Opaque", "stringData": {"k": "v"}},
    {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": META, "automountServiceAccountToken": False},
    {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": META,
     "spec": {"accessModes": ["ReadWriteOnce"], "storageClassName": "standard", "resources": {"requests": {"storage": "5Gi"}}}},
    {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": META,
     "spec": {"ingressClassName": "nginx", "tls": [{"hosts": ["a.example"], "secretName": "tls"}],
              "rules": [{"host": "a.example", "http": {"paths": [{"path": "/", "pathType": "Prefix",
                                                                  "backend": {"service": {"name": "web", "port": {"number": 80}}}}]}}]}},
    {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": META,
     "spec": {"podSelector": {"matchLabels": {"app": "web"}}, "policyTypes": ["Ingress"],
              "ingress": [{"from": [{"podSelector": {}}], "ports": [{"port": 8080, "protocol": "TCP"}]}]}},
    {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": META,
     "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"}, "minReplicas": 1, "maxReplicas": 5,
              "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 70}}}]}},
    {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": META,
     "spec": {"minAvailable": 1, "selector": {"matchLabels": {"app": "web"}}}},
    {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": META,
     "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "r"},
     "subjects": [{"kind": "ServiceAccount", "name": "web"}]},
    {"apiVersion": "v1", "kind": "LimitRange", "metadata": META,
     "spec": {"limits": [{"type": "Container", "default": {"memory": "512Mi"}, "max": {"cpu": "2"}}]}},
]

# Fields whose values the API server limits to a set (`enum` mutations) and quantity maps.
ENUM_FIELDS = {"imagePullPolicy", "protocol", "restartPolicy", "sessionAffinity", "externalTrafficPolicy",
               "podManagementPolicy", "concurrencyPolicy", "completionMode", "pathType", "effect", "operator"}
QUANTITY_PARENTS = {"requests", "limits", "default", "max"}


def nodes(value, path=()):
    """Every (path, value) in an object, the root first."""
    yield path, value
    if isinstance(value, dict):
        for k, v in value.items():
            yield from nodes(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from nodes(v, path + (i,))


def get(obj, path):
    for p in path:
        obj = obj[p]
    return obj


def mutations(base, rng):
    """(class, path, mutated object) for one base: every candidate of every class."""
    out = []
    for path, value in nodes(base):
        if path[:1] in (("apiVersion",), ("kind",)):
            continue
        if isinstance(value, dict):
            keys = list(value)
            if keys:
                typo = rng.choice(keys)
                new = typo[:-1] if len(typo) > 3 else typo + "x"
                if new not in value:
                    m = copy.deepcopy(base)
                    get(m, path)[new] = copy.deepcopy(value[typo])
                    out.append(("unknown field", path + (new,), m))
            for key in keys:
                if not path and key in ("apiVersion", "kind"):
                    continue
                m = copy.deepcopy(base)
                del get(m, path)[key]
                out.append(("missing field", path + (key,), m))
        if not path:
            continue
        parent, last = get(base, path[:-1]), path[-1]
        wrong = {str: 7, bool: "yes", int: "seven", float: "seven", dict: "oops", list: {"a": "b"}}[type(value)]
        m = copy.deepcopy(base)
        get(m, path[:-1])[last] = wrong
        out.append(("wrong type", path, m))
        if isinstance(value, str) and (last in ENUM_FIELDS or (isinstance(last, int) and path[-2] == "policyTypes")):
            for bad in ("Sometimes", value.lower()):
                m = copy.deepcopy(base)
                get(m, path[:-1])[last] = bad
                out.append(("bad enum", path, m))
        if isinstance(value, str) and last == "creationTimestamp":
            for bad in ("yesterday", "2024-05-01 12:00:00Z", "2024-02-30T12:00:00Z"):
                m = copy.deepcopy(base)
                get(m, path[:-1])[last] = bad
                out.append(("bad date-time", path, m))
        if isinstance(value, str) and (last == "caBundle" or (len(path) > 1 and path[-2] == "binaryData")):
            for bad in ("hello world", "aGVsbG8", "LS0t_LS1-"):
                m = copy.deepcopy(base)
                get(m, path[:-1])[last] = bad
                out.append(("bad base64", path, m))
        if isinstance(parent, dict) and len(path) > 1 and path[-2] in QUANTITY_PARENTS:
            for bad, cls in (("1GB", "bad quantity"), ("12 Mi", "bad quantity"), ("lots", "bad quantity"),
                             ([1], "quantity of wrong type"), (True, "quantity of wrong type")):
                m = copy.deepcopy(base)
                get(m, path[:-1])[last] = bad
                out.append((cls, path, m))
    return out


def real_apps():
    """The objects of the shared corpus's real apps (all valid for kubernetes-validate), when
    the corpus is there (`$KUBEPLAY_CORPUS` or ../shared/corpus): more fields than BASES has."""
    corpus = os.environ.get("KUBEPLAY_CORPUS", os.path.join(ROOT, "..", "shared", "corpus"))
    directory = os.path.join(corpus, "real")
    if not os.path.isdir(directory):
        return []
    objects = []
    for name in sorted(os.listdir(directory)):
        if name.endswith(".yaml"):
            with open(os.path.join(directory, name)) as f:
                objects += [o for o in yaml.safe_load_all(f) if isinstance(o, dict) and "kind" in o]
    return objects


def corpus(count, seed):
    rng = random.Random(seed)
    by_class = {}
    for base in BASES + real_apps():
        for cls, path, m in mutations(base, rng):
            by_class.setdefault(cls, []).append((cls, path, m))
    # Every class, round robin, until `count`.
    pools = [rng.sample(v, len(v)) for _, v in sorted(by_class.items())]
    picked = []
    while len(picked) < count and any(pools):
        for pool in pools:
            if pool and len(picked) < count:
                picked.append(pool.pop())
    return picked


def kubernetes_validate(obj, version):
    """None when accepted, else the path of the error."""
    try:
        kv.validate(obj, version + ".0", strict=True)
        return None
    except kv.ValidationError as e:
        return tuple(e.path)


def kubeplay_errors(kubeplay, files, version):
    """file -> {field path with a schema error: (line, column)}."""
    out = subprocess.run([kubeplay, "validate", "--format", "json", "--kube-version", version, *files],
                         capture_output=True, text=True)
    diagnostics = json.loads(out.stdout or "[]")
    errors = {}
    for d in diagnostics:
        if d["severity"] != "error" or d["rule"] not in ("schema-invalid", "manifest-invalid"):
            continue
        field = d.get("field")
        if field is None and d["rule"] == "manifest-invalid":
            # The reader's own type errors name the field in the message: "document 1: `spec.x`: ...".
            parts = d["message"].split("`")
            field = parts[1] if len(parts) > 2 else ""
        file = d.get("file", "(no place)")
        errors.setdefault(file, {})[field or ""] = (d.get("line"), d.get("column"))
    return errors


def written_at(file, place):
    """The text of `file` from (line, column) to the end of that line."""
    line, column = place
    if not line or not column:
        return ""
    with open(file) as f:
        lines = f.read().split("\n")
    return lines[line - 1][column - 1:] if line <= len(lines) else ""


def expected_text(cls, path, m):
    """What the finding's place must start with: the unknown key, or the value written there
    (a scalar); None where the place is an ancestor (a missing field) or a block (a map)."""
    if cls == "unknown field":
        return str(path[-1])
    if cls == "missing field":
        return None
    value = get(m, path)
    if isinstance(value, (dict, list)):
        return None
    return yaml.safe_dump(value).split("\n")[0].strip("'\"")


def main():
    args = [a for a in sys.argv[1:]]
    option = lambda name, default: args[args.index(name) + 1] if name in args else default  # noqa: E731
    count, seed, keep = int(option("--count", 1500)), int(option("--seed", 0)), option("--keep", None)
    positional = [a for i, a in enumerate(args) if not a.startswith("--") and (i == 0 or not args[i - 1].startswith("--"))]
    kubeplay = positional[0] if positional else os.path.join(ROOT, "target", "debug", "kubeplay")

    # Read each schema file once: kubernetes-validate reads them on every call.
    cached = {}
    original = kv.schema_contents

    def schema_contents(filename, desired_version):
        if filename not in cached:
            cached[filename] = original(filename, desired_version)
        return cached[filename]

    kv.schema_contents = schema_contents

    manifests = corpus(count, seed)
    directory = keep or tempfile.mkdtemp(prefix="schema-differential-")
    os.makedirs(directory, exist_ok=True)
    files = []
    for i, (_, _, m) in enumerate(manifests):
        path = os.path.join(directory, f"m{i:04}.yaml")
        with open(path, "w") as f:
            yaml.safe_dump(m, f, sort_keys=False)
        files.append(path)

    tally, bad, last_errors = {}, [], {}
    for version in VERSIONS:
        errors = kubeplay_errors(kubeplay, files, version)
        last_errors = errors
        for (cls, path, m), file in zip(manifests, files):
            rejected = kubernetes_validate(m, version)
            places = errors.get(file, {})
            found = set(places)
            want = text(path)
            token = expected_text(cls, path, m)
            misplaced = want in places and token is not None and \
                not written_at(file, places[want]).lstrip("'\"").startswith(token)
            stricter = cls in ("bad enum", "bad quantity", "bad date-time", "bad base64")
            if misplaced:
                outcome = "DISAGREE"
                bad.append(f"{version} {os.path.basename(file)} {cls} at {want}: kubeplay points at "
                           f"{places[want]}, where `{written_at(file, places[want])}` is written, not `{token}`")
            elif rejected is None and not found:
                outcome = "both accept"
            elif rejected is not None and found == {want} and tuple(path[: len(rejected)]) == rejected:
                outcome = "both reject, same field"
            elif rejected is None and stricter and found == {want}:
                outcome = "kubeplay stricter (enum, quantity, format)"
            else:
                outcome = "DISAGREE"
                bad.append(f"{version} {os.path.basename(file)} {cls} at {want}: kubernetes-validate "
                           f"{'accepts' if rejected is None else 'rejects at ' + text(rejected)}, kubeplay {sorted(found) or 'accepts'}")
            tally[(cls, outcome)] = tally.get((cls, outcome), 0) + 1
    print(f"{len(manifests)} manifests x {len(VERSIONS)} versions ({VERSIONS[0]}-{VERSIONS[-1]}), kept in {directory}" if keep
          else f"{len(manifests)} manifests x {len(VERSIONS)} versions ({VERSIONS[0]}-{VERSIONS[-1]})")
    for (cls, outcome), n in sorted(tally.items()):
        print(f"  {cls:24} {outcome:44} {n}")
    agree = sum(n for (_, o), n in tally.items() if o != "DISAGREE")
    print(f"{agree}/{agree + len(bad)} agree")
    if not keep:
        for file in files:
            os.remove(file)
        os.rmdir(directory)
    unplaced = {f: e for f, e in errors.items() if f not in files} if (errors := last_errors) else {}
    if unplaced:
        bad.append(f"errors without a file of the corpus: {unplaced}")
    if bad:
        print("\n".join(bad[:40]))
        sys.exit(f"{len(bad)} disagreements")


if __name__ == "__main__":
    main()
