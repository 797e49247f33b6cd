//! pod-security-seccomp: the control "Seccomp" (baseline: never Unconfined; restricted: the
//! runtime's default or a local profile, on the pod or on every container).

use super::{context, each_pod, Level};
use crate::rules::{Check, ManifestSink, Rule};
use k8s_openapi::api::core::v1::SeccompProfile;

pub const RULE: Rule = Rule {
    id: "pod-security-seccomp",
    summary: "Pod Security: a container without a seccomp profile may make every system call the kernel offers.",
    help: "Set `securityContext.seccompProfile.type: RuntimeDefault` on the pod (the API server says: `seccompProfile (pod or container \"app\" must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")`).",
    check: Check::Manifests(check),
    ..super::ENFORCED
};

fn kind(profile: Option<&SeccompProfile>) -> Option<&str> {
    profile.map(|p| p.type_.as_str())
}

fn confined(kind: &str) -> bool {
    matches!(kind, "RuntimeDefault" | "Localhost")
}

fn check(set: &crate::ManifestSet, sink: &mut ManifestSink) {
    const FIELD: &str = "securityContext.seccompProfile.type";
    each_pod(set, sink, Level::Baseline, |pod, sink| {
        // Restricted wants a confining profile from the pod or from each container (not on Windows).
        let restricted = pod.level >= Level::Restricted && !pod.is_windows();
        let of_pod = kind(pod.security_context().and_then(|s| s.seccomp_profile.as_ref()));
        match of_pod {
            Some("Unconfined") => {
                pod.report(sink, pod.field(FIELD), format_args!("{} sets {FIELD} to \"Unconfined\"", pod.who()))
            }
            Some(other) if restricted && !confined(other) => {
                pod.report(sink, pod.field(FIELD), format_args!("{} sets {FIELD} to \"{other}\"", pod.who()))
            }
            _ => {}
        }
        let pod_confines = of_pod.is_some_and(confined);
        for c in pod.containers() {
            match kind(context(&c).and_then(|s| s.seccomp_profile.as_ref())) {
                Some("Unconfined") => {
                    pod.report(sink, c.at(FIELD), format_args!("{} sets {FIELD} to \"Unconfined\"", c.who()))
                }
                Some(other) if restricted && !confined(other) => {
                    pod.report(sink, c.at(FIELD), format_args!("{} sets {FIELD} to \"{other}\"", c.who()))
                }
                None if restricted && !pod_confines => pod.report(
                    sink,
                    c.at(FIELD),
                    format_args!("neither {} nor its pod sets {FIELD} to \"RuntimeDefault\" or \"Localhost\"", c.who()),
                ),
                _ => {}
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::testing::{fields, restricted_pod};
    use super::super::Level::*;

    const RULE: &str = "pod-security-seccomp";

    #[test]
    fn unset_passes_baseline_and_runtime_default_passes_restricted() {
        assert!(fields(Baseline, RULE, "  containers: [{name: a, image: a}]\n").is_empty());
        assert!(fields(Restricted, RULE, &restricted_pod("")).is_empty());
        let per_container = "  containers: [{name: a, image: a, securityContext: {seccompProfile: {type: Localhost, localhostProfile: p.json}}}]\n";
        assert!(fields(Restricted, RULE, per_container).is_empty());
    }

    #[test]
    fn unconfined_and_unset_under_restricted_are_rejected() {
        let spec = "  securityContext: {seccompProfile: {type: Unconfined}}\n  containers: [{name: a, image: a}]\n";
        assert_eq!(fields(Baseline, RULE, spec), ["spec.securityContext.seccompProfile.type"]);
        assert_eq!(
            fields(Restricted, RULE, spec),
            ["spec.securityContext.seccompProfile.type", "spec.containers[0].securityContext.seccompProfile.type"]
        );
    }
}
