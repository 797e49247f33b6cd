//! pod-security-selinux: the baseline control "SELinux" (no custom user or role, only the
//! container types).

use super::{context, each_pod, Level};
use crate::path::FieldPath;
use crate::rules::{Check, ManifestSink, Rule};
use k8s_openapi::api::core::v1::SELinuxOptions;

pub const RULE: Rule = Rule {
    id: "pod-security-selinux",
    summary: "Pod Security baseline: a custom SELinux user, role or type can lift the container's confinement.",
    help: "Leave `seLinuxOptions.user` and `role` unset and use a container type such as container_t (the API server says: `seLinuxOptions (pod set forbidden securityContext.seLinuxOptions: type \"spc_t\")`).",
    check: Check::Manifests(check),
    ..super::ENFORCED
};

const ALLOWED_TYPES: &[&str] = &["", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"];

/// What is forbidden in one seLinuxOptions, as (field below it, value).
fn forbidden(options: &SELinuxOptions) -> Vec<(&'static str, &str)> {
    let mut found = Vec::new();
    if let Some(kind) = options.type_.as_deref().filter(|t| !ALLOWED_TYPES.contains(t)) {
        found.push(("type", kind));
    }
    for (field, value) in [("user", &options.user), ("role", &options.role)] {
        if let Some(value) = value.as_deref().filter(|v| !v.is_empty()) {
            found.push((field, value));
        }
    }
    found
}

fn check(set: &crate::ManifestSet, sink: &mut ManifestSink) {
    const FIELD: &str = "securityContext.seLinuxOptions";
    let report = |sink: &mut ManifestSink, pod: &super::Pod, base: FieldPath, who: String, options: &SELinuxOptions| {
        for (leaf, value) in forbidden(options) {
            pod.report(sink, base.join(&FieldPath::parse(leaf)), format_args!("{who} sets {FIELD}.{leaf} \"{value}\""));
        }
    };
    each_pod(set, sink, Level::Baseline, |pod, sink| {
        if let Some(options) = pod.security_context().and_then(|s| s.se_linux_options.as_ref()) {
            report(sink, pod, pod.field(FIELD), pod.who(), options);
        }
        for c in pod.containers() {
            if let Some(options) = context(&c).and_then(|s| s.se_linux_options.as_ref()) {
                report(sink, pod, c.at(FIELD), c.who(), options);
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::testing::fields;
    use super::super::Level::*;

    const RULE: &str = "pod-security-selinux";

    #[test]
    fn container_types_and_levels_pass() {
        let spec = "  securityContext: {seLinuxOptions: {type: container_t, level: \"s0:c123\"}}\n  containers: [{name: a, image: a, securityContext: {seLinuxOptions: {type: container_init_t}}}]\n";
        assert!(fields(Baseline, RULE, spec).is_empty());
    }

    #[test]
    fn other_types_users_and_roles_are_rejected() {
        let spec = "  securityContext: {seLinuxOptions: {type: spc_t}}\n  containers: [{name: a, image: a, securityContext: {seLinuxOptions: {user: root, role: sysadm_r}}}]\n";
        assert_eq!(
            fields(Baseline, RULE, spec),
            [
                "spec.securityContext.seLinuxOptions.type",
                "spec.containers[0].securityContext.seLinuxOptions.user",
                "spec.containers[0].securityContext.seLinuxOptions.role"
            ]
        );
    }
}
