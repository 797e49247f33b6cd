//! pod-security-run-as-user: the restricted control "Running as Non-root user" (no UID 0).

use super::{context, each_pod, Level};
use crate::rules::{Check, ManifestSink, Rule};

pub const RULE: Rule = Rule {
    id: "pod-security-run-as-user",
    summary: "Pod Security restricted: runAsUser: 0 runs the process as root whatever the image says.",
    help: "Set `runAsUser` to a non-zero UID such as 1000, or leave it unset (the API server says: `runAsUser=0 (container \"app\" must not set runAsUser=0)`).",
    check: Check::Manifests(check),
    ..super::ENFORCED
};

fn check(set: &crate::ManifestSet, sink: &mut ManifestSink) {
    const FIELD: &str = "securityContext.runAsUser";
    each_pod(set, sink, Level::Restricted, |pod, sink| {
        if pod.security_context().and_then(|s| s.run_as_user) == Some(0) {
            pod.report(sink, pod.field(FIELD), format_args!("{} sets runAsUser=0", pod.who()));
        }
        for c in pod.containers() {
            if context(&c).and_then(|s| s.run_as_user) == Some(0) {
                pod.report(sink, c.at(FIELD), format_args!("{} sets runAsUser=0", c.who()));
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::testing::{fields, restricted_pod};
    use super::super::Level::*;

    const RULE: &str = "pod-security-run-as-user";

    #[test]
    fn a_non_zero_uid_passes() {
        assert!(fields(Restricted, RULE, &restricted_pod("")).is_empty());
        let spec = "  securityContext: {runAsUser: 1000}\n  containers: [{name: a, image: a}]\n";
        assert!(fields(Restricted, RULE, spec).is_empty());
    }

    #[test]
    fn uid_zero_is_rejected() {
        let spec = "  containers: [{name: a, image: a, securityContext: {runAsUser: 0}}]\n";
        assert_eq!(fields(Restricted, RULE, spec), ["spec.containers[0].securityContext.runAsUser"]);
    }
}
