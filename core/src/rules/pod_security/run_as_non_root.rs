//! pod-security-run-as-non-root: the restricted control "Running as Non-root".

use super::{context, each_pod, Level};
use crate::rules::{Check, ManifestSink, Rule};

pub const RULE: Rule = Rule {
    id: "pod-security-run-as-non-root",
    summary: "Pod Security restricted: the pod or every container must set runAsNonRoot: true, so the kubelet refuses a root image.",
    help: "Set `securityContext.runAsNonRoot: true` on the pod (the API server says: `runAsNonRoot != true (pod or container \"app\" must set securityContext.runAsNonRoot=true)`).",
    check: Check::Manifests(check),
    ..super::ENFORCED
};

fn check(set: &crate::ManifestSet, sink: &mut ManifestSink) {
    const FIELD: &str = "securityContext.runAsNonRoot";
    each_pod(set, sink, Level::Restricted, |pod, sink| {
        let of_pod = pod.security_context().and_then(|s| s.run_as_non_root);
        if of_pod == Some(false) {
            pod.report(sink, pod.field(FIELD), format_args!("{} sets {FIELD}=false", pod.who()));
        }
        for c in pod.containers() {
            match context(&c).and_then(|s| s.run_as_non_root) {
                Some(false) => pod.report(sink, c.at(FIELD), format_args!("{} sets {FIELD}=false", c.who())),
                None if of_pod != Some(true) => {
                    pod.report(sink, c.at(FIELD), format_args!("neither {} nor its pod sets {FIELD}=true", c.who()))
                }
                _ => {}
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::testing::{fields, restricted_pod};
    use super::super::Level::*;

    const RULE: &str = "pod-security-run-as-non-root";

    #[test]
    fn pod_or_every_container_true_passes() {
        assert!(fields(Restricted, RULE, &restricted_pod("")).is_empty());
        let each = "  containers: [{name: a, image: a, securityContext: {runAsNonRoot: true}}]\n";
        assert!(fields(Restricted, RULE, each).is_empty());
    }

    #[test]
    fn unset_or_false_is_rejected() {
        let spec = "  securityContext: {runAsNonRoot: true}\n  containers: [{name: a, image: a, securityContext: {runAsNonRoot: false}}]\n";
        assert_eq!(fields(Restricted, RULE, spec), ["spec.containers[0].securityContext.runAsNonRoot"]);
        assert_eq!(fields(Restricted, RULE, "  containers: [{name: a, image: a}]\n").len(), 1);
    }
}
