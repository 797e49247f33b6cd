//! pod-security-privilege-escalation: the restricted control "Privilege Escalation".

use super::{context, each_pod, Level};
use crate::rules::{Check, ManifestSink, Rule};

pub const RULE: Rule = Rule {
    id: "pod-security-privilege-escalation",
    summary: "Pod Security restricted: every container must set allowPrivilegeEscalation: false, so setuid binaries cannot gain root.",
    help: "Set `securityContext.allowPrivilegeEscalation: false` on each container (the API server says: `allowPrivilegeEscalation != false (container \"app\" must set securityContext.allowPrivilegeEscalation=false)`).",
    check: Check::Manifests(check),
    ..super::ENFORCED
};

fn check(set: &crate::ManifestSet, sink: &mut ManifestSink) {
    each_pod(set, sink, Level::Restricted, |pod, sink| {
        if pod.is_windows() {
            return;
        }
        for c in pod.containers() {
            if context(&c).and_then(|s| s.allow_privilege_escalation) != Some(false) {
                let field = c.at("securityContext.allowPrivilegeEscalation");
                pod.report(
                    sink,
                    field,
                    format_args!("{} does not set securityContext.allowPrivilegeEscalation=false", c.who()),
                );
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::testing::{fields, restricted_pod};
    use super::super::Level::*;

    const RULE: &str = "pod-security-privilege-escalation";

    #[test]
    fn false_passes() {
        assert!(fields(Restricted, RULE, &restricted_pod("")).is_empty());
    }

    #[test]
    fn unset_or_true_is_rejected_under_restricted() {
        let spec = "  containers: [{name: a, image: a}, {name: b, image: b, securityContext: {allowPrivilegeEscalation: true}}]\n";
        assert_eq!(
            fields(Restricted, RULE, spec),
            [
                "spec.containers[0].securityContext.allowPrivilegeEscalation",
                "spec.containers[1].securityContext.allowPrivilegeEscalation"
            ]
        );
        assert!(fields(Baseline, RULE, spec).is_empty());
    }
}
