//! pod-security-privileged: the baseline control "Privileged Containers".

use super::{context, each_pod, Level};
use crate::manifest::workload::ContainerRef;
use crate::rules::{Check, ManifestSink, Rule};

pub const RULE: Rule = Rule {
    id: "pod-security-privileged",
    summary: "Pod Security baseline: a privileged container disables most isolation, so the admission plugin rejects its pod.",
    help: "Remove `securityContext.privileged: true` (the API server says: `privileged (container \"app\" must not set securityContext.privileged=true)`).",
    check: Check::Manifests(check),
    ..super::ENFORCED
};

/// Whether a container runs privileged: the one test the privileged-container rule shares.
pub(crate) fn is_privileged(c: &ContainerRef) -> bool {
    context(c).and_then(|s| s.privileged) == Some(true)
}

fn check(set: &crate::ManifestSet, sink: &mut ManifestSink) {
    each_pod(set, sink, Level::Baseline, |pod, sink| {
        for c in pod.containers().filter(is_privileged) {
            pod.report(
                sink,
                c.at("securityContext.privileged"),
                format_args!("{} sets securityContext.privileged=true", c.who()),
            );
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::testing::fields;
    use super::super::Level::*;

    const RULE: &str = "pod-security-privileged";

    #[test]
    fn unprivileged_or_false_passes() {
        assert!(fields(Baseline, RULE, "  containers: [{name: a, image: a, securityContext: {privileged: false}}]\n")
            .is_empty());
    }

    #[test]
    fn a_privileged_init_container_is_rejected_at_baseline_only_when_enforced() {
        let spec = "  containers: [{name: a, image: a}]\n  initContainers: [{name: i, image: i, securityContext: {privileged: true}}]\n";
        assert_eq!(fields(Baseline, RULE, spec), ["spec.initContainers[0].securityContext.privileged"]);
        assert_eq!(fields(Restricted, RULE, spec).len(), 1);
        assert!(fields(Privileged, RULE, spec).is_empty());
    }
}
