//! pod-security-host-namespaces: the baseline control "Host Namespaces".

use super::{each_pod, Level};
use crate::rules::{Check, ManifestSink, Rule};

pub const RULE: Rule = Rule {
    id: "pod-security-host-namespaces",
    summary: "Pod Security baseline: a pod sharing the node's network, process or IPC namespace can see and reach the node's own.",
    help: "Remove `hostNetwork`, `hostPID` and `hostIPC` (the API server says: `host namespaces (hostNetwork=true)`).",
    check: Check::Manifests(check),
    ..super::ENFORCED
};

fn check(set: &crate::ManifestSet, sink: &mut ManifestSink) {
    each_pod(set, sink, Level::Baseline, |pod, sink| {
        let shared =
            [("hostNetwork", pod.spec.host_network), ("hostPID", pod.spec.host_pid), ("hostIPC", pod.spec.host_ipc)];
        for (field, value) in shared {
            if value == Some(true) {
                pod.report(sink, pod.field(field), format_args!("{} sets {field}=true", pod.who()));
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::testing::fields;
    use super::super::Level::*;

    const RULE: &str = "pod-security-host-namespaces";

    #[test]
    fn false_or_unset_passes() {
        assert!(fields(Baseline, RULE, "  hostNetwork: false\n  containers: [{name: a, image: a}]\n").is_empty());
    }

    #[test]
    fn each_shared_namespace_is_rejected() {
        let spec = "  hostPID: true\n  hostIPC: true\n  containers: [{name: a, image: a}]\n";
        assert_eq!(fields(Baseline, RULE, spec), ["spec.hostPID", "spec.hostIPC"]);
    }
}
