//! pod-security-capabilities: the baseline control "Capabilities" (no capability beyond the
//! container runtime's default set) and the restricted one (drop ALL, add at most NET_BIND_SERVICE).

use super::{context, each_pod, Level};
use crate::rules::{Check, ManifestSink, Rule};

pub const RULE: Rule = Rule {
    id: "pod-security-capabilities",
    summary: "Pod Security: baseline allows only the runtime's default capabilities; restricted wants every capability dropped.",
    help: "Set `securityContext.capabilities.drop: [ALL]` and add back only NET_BIND_SERVICE if the process binds a port below 1024 (the API server says: `unrestricted capabilities (container \"app\" must set securityContext.capabilities.drop=[\"ALL\"])`).",
    check: Check::Manifests(check),
    ..super::ENFORCED
};

/// The capabilities a container runtime grants by default, which baseline lets a container add.
const BASELINE_ADDS: &[&str] = &[
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
];
/// What restricted lets a container add back after dropping ALL.
const RESTRICTED_ADDS: &[&str] = &["NET_BIND_SERVICE"];

fn check(set: &crate::ManifestSet, sink: &mut ManifestSink) {
    each_pod(set, sink, Level::Baseline, |pod, sink| {
        let restricted = pod.level >= Level::Restricted && !pod.is_windows();
        let allowed = if restricted { RESTRICTED_ADDS } else { BASELINE_ADDS };
        for c in pod.containers() {
            let capabilities = context(&c).and_then(|s| s.capabilities.as_ref());
            for (i, added) in capabilities.and_then(|c| c.add.as_ref()).into_iter().flatten().enumerate() {
                if !allowed.contains(&added.as_str()) {
                    pod.report(
                        sink,
                        c.at(&format!("securityContext.capabilities.add[{i}]")),
                        format_args!("{} adds capability {added}", c.who()),
                    );
                }
            }
            let drops_all = capabilities.and_then(|c| c.drop.as_ref()).is_some_and(|d| d.iter().any(|d| d == "ALL"));
            if restricted && !drops_all {
                pod.report(
                    sink,
                    c.at("securityContext.capabilities.drop"),
                    format_args!("{} does not set securityContext.capabilities.drop=[\"ALL\"]", c.who()),
                );
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::testing::{fields, restricted_pod};
    use super::super::Level::*;

    const RULE: &str = "pod-security-capabilities";

    #[test]
    fn default_capabilities_pass_baseline_and_drop_all_passes_restricted() {
        let spec =
            "  containers: [{name: a, image: a, securityContext: {capabilities: {add: [CHOWN, NET_BIND_SERVICE]}}}]\n";
        assert!(fields(Baseline, RULE, spec).is_empty());
        assert!(fields(Restricted, RULE, &restricted_pod("")).is_empty());
        let windows = "  os: {name: windows}\n  containers: [{name: a, image: a}]\n";
        assert!(fields(Restricted, RULE, windows).is_empty(), "Windows pods are exempt");
    }

    #[test]
    fn extra_capabilities_and_a_missing_drop_are_rejected() {
        let spec = "  containers: [{name: a, image: a, securityContext: {capabilities: {add: [CHOWN, SYS_ADMIN]}}}]\n";
        assert_eq!(fields(Baseline, RULE, spec), ["spec.containers[0].securityContext.capabilities.add[1]"]);
        assert_eq!(
            fields(Restricted, RULE, spec),
            [
                "spec.containers[0].securityContext.capabilities.add[0]",
                "spec.containers[0].securityContext.capabilities.add[1]",
                "spec.containers[0].securityContext.capabilities.drop"
            ]
        );
    }
}
