#!/usr/bin/env python3
"""Turn kubernetes-validate's strict JSON Schemas into the compact form core embeds.

    scripts/gen-kube-schemas.py            # write core/schemas/kube-<version>.json
    scripts/gen-kube-schemas.py --check    # fail if a committed file differs (CI)

Source: the `kubernetes-validate` PyPI package (Apache-2.0), whose `v<version>-local-strict`
directories hold the Kubernetes OpenAPI as strict JSON Schemas (unknown fields rejected). The
compact form keeps what validation needs (types, properties, required fields, maps, lists, the
apiVersion/kind of each top-level schema) and drops descriptions.

Enums: the schemas carry none (only apiVersion and kind), but the descriptions name the allowed
values of many fields ("One of Always, Never, IfNotPresent"). ENUMS lists the fields whose values
the API server checks; a field's enum is carried only where its description in that version
names every value of one of the listed sets (the first that fits), so a value the description
stops naming drops the enum instead of rejecting good manifests.

Formats: `int32` (`i32`: the API server rejects a value that does not fit in 32 bits),
`date-time` (`t`: RFC 3339, as the API server parses a `metav1.Time`; `tu` for a `MicroTime`,
whose fraction of a second has exactly six digits) and `byte` (`y`: standard base64) are carried; kubernetes-validate checks none of them. `int64` is `i`. Quantity is its
own code, checked by core against the quantity grammar.

Compact form (read by core/src/openapi/schema.rs):
  {"version": "1.35", "source": "kubernetes-validate 1.37.0 ...", "kinds": [[apiVersion, kind, type], ...],
   "types": [object, ...]}
  object: {"n": name, "p": {field: t}, "r": [required], "x": t}  ("n": the definition's short
          name, for messages; "x": additionalProperties schema; "o": 1 when additional fields
          are allowed without a schema)
  t: an int (index into "types"), or "s" string, "i" integer, "i32" 32-bit integer, "n" number, "b" boolean,
     "ios" int-or-string, "q" quantity (string or number), "t" date-time, "tu" date-time in microseconds, "y" base64 bytes, "*" anything,
     ["a", t] list, ["m", t] map of string to t, ["e", [value, ...]] a string of those values.
"""
import json
import os
import re
import sys

import kubernetes_validate

VERSIONS = ["1.29", "1.30", "1.31", "1.32", "1.33", "1.34", "1.35"]
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT = os.path.join(ROOT, "core", "schemas")
SCHEMAS = os.path.join(os.path.dirname(kubernetes_validate.__file__), "kubernetes-json-schema")
PREFIX = "#/$defs/"

# (definition, field): the sets of values the API server accepts, newest first. See the docstring.
ENUMS = {
    ("io.k8s.api.core.v1.Container", "imagePullPolicy"): [["Always", "IfNotPresent", "Never"]],
    ("io.k8s.api.core.v1.Container", "terminationMessagePolicy"): [["File", "FallbackToLogsOnError"]],
    ("io.k8s.api.core.v1.PodSpec", "restartPolicy"): [["Always", "OnFailure", "Never"]],
    ("io.k8s.api.core.v1.PodSpec", "dnsPolicy"): [["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"]],
    ("io.k8s.api.core.v1.PodSpec", "preemptionPolicy"): [["Never", "PreemptLowerPriority"]],
    ("io.k8s.api.core.v1.ServiceSpec", "type"): [["ExternalName", "ClusterIP", "NodePort", "LoadBalancer"]],
    ("io.k8s.api.core.v1.ServiceSpec", "sessionAffinity"): [["ClientIP", "None"]],
    ("io.k8s.api.core.v1.ServiceSpec", "externalTrafficPolicy"): [["Cluster", "Local"]],
    ("io.k8s.api.core.v1.ServiceSpec", "internalTrafficPolicy"): [["Cluster", "Local"]],
    ("io.k8s.api.core.v1.ServiceSpec", "ipFamilyPolicy"): [["SingleStack", "PreferDualStack", "RequireDualStack"]],
    ("io.k8s.api.core.v1.ServicePort", "protocol"): [["TCP", "UDP", "SCTP"]],
    ("io.k8s.api.core.v1.ContainerPort", "protocol"): [["TCP", "UDP", "SCTP"]],
    ("io.k8s.api.networking.v1.NetworkPolicyPort", "protocol"): [["TCP", "UDP", "SCTP"]],
    ("io.k8s.api.networking.v1.NetworkPolicySpec", "policyTypes"): [["Ingress", "Egress"]],
    ("io.k8s.api.networking.v1.HTTPIngressPath", "pathType"): [["Exact", "Prefix", "ImplementationSpecific"]],
    ("io.k8s.api.apps.v1.DeploymentStrategy", "type"): [["Recreate", "RollingUpdate"]],
    ("io.k8s.api.apps.v1.DaemonSetUpdateStrategy", "type"): [["RollingUpdate", "OnDelete"]],
    ("io.k8s.api.apps.v1.StatefulSetSpec", "podManagementPolicy"): [["OrderedReady", "Parallel"]],
    ("io.k8s.api.batch.v1.CronJobSpec", "concurrencyPolicy"): [["Allow", "Forbid", "Replace"]],
    ("io.k8s.api.batch.v1.JobSpec", "completionMode"): [["NonIndexed", "Indexed"]],
    ("io.k8s.api.batch.v1.JobSpec", "podReplacementPolicy"): [["TerminatingOrFailed", "Failed"]],
    ("io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement", "operator"): [
        ["In", "NotIn", "Exists", "DoesNotExist"]
    ],
    ("io.k8s.api.core.v1.NodeSelectorRequirement", "operator"): [["In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"]],
    ("io.k8s.api.core.v1.Toleration", "operator"): [["Exists", "Equal", "Lt", "Gt"], ["Exists", "Equal"]],
    ("io.k8s.api.core.v1.Toleration", "effect"): [["NoSchedule", "PreferNoSchedule", "NoExecute"]],
    ("io.k8s.api.core.v1.TopologySpreadConstraint", "whenUnsatisfiable"): [["DoNotSchedule", "ScheduleAnyway"]],
    ("io.k8s.api.core.v1.TopologySpreadConstraint", "nodeAffinityPolicy"): [["Honor", "Ignore"]],
    ("io.k8s.api.core.v1.TopologySpreadConstraint", "nodeTaintsPolicy"): [["Honor", "Ignore"]],
    ("io.k8s.api.core.v1.SeccompProfile", "type"): [["Localhost", "RuntimeDefault", "Unconfined"]],
    ("io.k8s.api.core.v1.AppArmorProfile", "type"): [["Localhost", "RuntimeDefault", "Unconfined"]],
    ("io.k8s.api.core.v1.PodSecurityContext", "fsGroupChangePolicy"): [["OnRootMismatch", "Always"]],
    ("io.k8s.api.autoscaling.v2.MetricSpec", "type"): [["ContainerResource", "External", "Object", "Pods", "Resource"]],
    ("io.k8s.api.autoscaling.v2.MetricTarget", "type"): [["Utilization", "Value", "AverageValue"]],
    ("io.k8s.api.policy.v1.PodDisruptionBudgetSpec", "unhealthyPodEvictionPolicy"): [["IfHealthyBudget", "AlwaysAllow"]],
    ("io.k8s.api.rbac.v1.Subject", "kind"): [["User", "Group", "ServiceAccount"]],
}


def named(value, text):
    """Whether `text` names `value` as a word."""
    return re.search(r"(?<![A-Za-z])" + re.escape(value) + r"(?![A-Za-z])", text) is not None


def enum_of(name, field, node):
    """The values of `field` of definition `name`, when its description names one listed set."""
    description = node.get("description", "")
    for values in ENUMS.get((name, field), []):
        if all(named(v, description) for v in values):
            return sorted(values)
    return None


def types_of(node):
    t = node.get("type", [])
    t = [t] if isinstance(t, str) else list(t)
    return [x for x in t if x != "null"]


class Compactor:
    def __init__(self, defs):
        self.defs = defs
        self.index = {}  # def name -> index in types
        self.types = []

    def ref(self, ref):
        name = ref.split("/")[-1]
        target = self.defs[name]
        if name.endswith(".meta.v1.MicroTime"):
            return "tu"
        scalar = self.scalar(target)
        if scalar is not None:
            return scalar
        if name not in self.index:
            self.index[name] = len(self.types)
            self.types.append(None)
            self.types[self.index[name]] = self.object(target, name)
        return self.index[name]

    def scalar(self, node):
        """The code of a schema that is not an object with fields, or None."""
        if "oneOf" in node:
            alts = sorted(tuple(types_of(a)) for a in node["oneOf"])
            if alts == [("integer",), ("string",)]:
                return "ios"
            if alts == [("number",), ("string",)]:
                return "q"
            raise SystemExit(f"unexpected oneOf {node['oneOf']}")
        t = types_of(node)
        if "$ref" in node:
            return None
        if not t:
            return "*"
        if t == ["object"] and ("properties" in node or node.get("additionalProperties") is False):
            return None
        if t == ["object"]:
            return None
        if t == ["array"]:
            return None
        code = {"string": "s", "integer": "i", "number": "n", "boolean": "b"}.get(t[0])
        if len(t) != 1 or code is None:
            raise SystemExit(f"unexpected type {t}")
        if code == "i" and node.get("format") == "int32":
            return "i32"
        if code == "s" and node.get("format") in ("date-time", "byte"):
            return {"date-time": "t", "byte": "y"}[node["format"]]
        return code

    def t(self, node):
        if "$ref" in node:
            return self.ref(node["$ref"])
        scalar = self.scalar(node)
        if scalar is not None:
            return scalar
        t = types_of(node)
        if t == ["array"]:
            return ["a", self.t(node.get("items", {}))]
        # An object: a map when it has only a value schema, else an inline object type.
        extra = node.get("additionalProperties")
        if "properties" not in node and isinstance(extra, dict):
            return ["m", self.t(extra)]
        self.types.append(None)
        i = len(self.types) - 1
        self.types[i] = self.object(node)
        return i

    def object(self, node, name=None):
        out = {"p": {}}
        if name:
            out["n"] = name.split(".")[-1]
        for field, schema in sorted(node.get("properties", {}).items()):
            t = self.t(schema)
            values = enum_of(name, field, schema)
            if values and t == "s":
                t = ["e", values]
            elif values and t == ["a", "s"]:
                t = ["a", ["e", values]]
            elif values:
                raise SystemExit(f"{name}.{field}: an enum on {t}")
            out["p"][field] = t
        if node.get("required"):
            out["r"] = sorted(node["required"])
        extra = node.get("additionalProperties")
        if isinstance(extra, dict):
            out["x"] = self.t(extra)
        elif extra is None:
            out["o"] = 1
        return out


def compact(version):
    base = os.path.join(SCHEMAS, f"v{version}.0-local-strict")
    defs = json.load(open(os.path.join(base, "_definitions.json")))["$defs"]
    c = Compactor(defs)
    kinds = []
    for name in sorted(defs):
        for gvk in defs[name].get("x-kubernetes-group-version-kind", []):
            group, ver, kind = gvk["group"], gvk["version"], gvk["kind"]
            api_version = f"{group}/{ver}" if group else ver
            # kubernetes-validate finds a kind's schema by file name: only kinds with a file
            # are validated by it, and so by kubeplay.
            first = group.split(".")[0]
            file = f"{kind.lower()}-{first + '-' if first else ''}{ver}.json"
            if not os.path.exists(os.path.join(base, file)):
                continue
            top = json.load(open(os.path.join(base, file)))
            enum = top.get("properties", {}).get("kind", {}).get("enum", [])
            if kind not in enum:
                continue
            kinds.append([api_version, kind, c.ref(PREFIX + name)])
    kinds.sort()
    source = f"kubernetes-validate {kubernetes_validate.__version__} (Apache-2.0), v{version}.0-local-strict"
    return {"version": version, "source": source, "kinds": kinds, "types": c.types}


def main():
    check = "--check" in sys.argv[1:]
    stale = []
    os.makedirs(OUT, exist_ok=True)
    for version in VERSIONS:
        text = json.dumps(compact(version), separators=(",", ":"), sort_keys=True) + "\n"
        path = os.path.join(OUT, f"kube-{version}.json")
        if check:
            if not os.path.exists(path) or open(path).read() != text:
                stale.append(path)
        else:
            with open(path, "w") as f:
                f.write(text)
            print(f"{path}: {len(text)} bytes")
    if stale:
        raise SystemExit("stale (run scripts/gen-kube-schemas.py): " + ", ".join(stale))


if __name__ == "__main__":
    main()
