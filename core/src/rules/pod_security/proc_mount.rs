//! pod-security-proc-mount: the control "/proc Mount Type" (the default masked /proc; baseline
//! allows an unmasked one in a pod with its own user namespace, restricted never does).

use super::{context, each_pod, Level};
use crate::rules::{Check, ManifestSink, Rule};

pub const RULE: Rule = Rule {
    id: "pod-security-proc-mount",
    summary: "Pod Security: an unmasked /proc shows the container kernel details the runtime normally hides.",
    help: "Remove `procMount` or set it to Default (baseline allows Unmasked only with `hostUsers: false`; the API server says: `procMount (container \"app\" must not set securityContext.procMount to \"Unmasked\")`).",
    check: Check::Manifests(check),
    ..super::ENFORCED
};

fn check(set: &crate::ManifestSet, sink: &mut ManifestSink) {
    each_pod(set, sink, Level::Baseline, |pod, sink| {
        let own_user_namespace = pod.spec.host_users == Some(false);
        if own_user_namespace && pod.level < Level::Restricted {
            return;
        }
        for c in pod.containers() {
            if let Some(mount) = context(&c).and_then(|s| s.proc_mount.as_deref()).filter(|m| *m != "Default") {
                pod.report(
                    sink,
                    c.at("securityContext.procMount"),
                    format_args!("{} sets securityContext.procMount to \"{mount}\"", c.who()),
                );
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::testing::{fields, restricted_pod};
    use super::super::Level::*;

    const RULE: &str = "pod-security-proc-mount";
    const UNMASKED: &str = "  containers: [{name: a, image: a, securityContext: {procMount: Unmasked}}]\n";

    #[test]
    fn default_passes_and_a_user_namespace_allows_unmasked_at_baseline() {
        assert!(fields(Restricted, RULE, &restricted_pod("")).is_empty());
        assert!(fields(Baseline, RULE, &format!("  hostUsers: false\n{UNMASKED}")).is_empty());
    }

    #[test]
    fn unmasked_is_rejected() {
        assert_eq!(fields(Baseline, RULE, UNMASKED), ["spec.containers[0].securityContext.procMount"]);
        assert_eq!(fields(Restricted, RULE, &format!("  hostUsers: false\n{UNMASKED}")).len(), 1);
    }
}
