//! pod-security-sysctls: the baseline control "Sysctls" (only the namespaced, safe set).

use super::{each_pod, Level};
use crate::rules::{Check, ManifestSink, Rule};

pub const RULE: Rule = Rule {
    id: "pod-security-sysctls",
    summary: "Pod Security baseline: a sysctl outside the safe set can change the node's kernel for every pod on it.",
    help: "Remove the sysctl or use one of the safe set, such as net.ipv4.ip_local_port_range (the API server says: `forbidden sysctls (kernel.msgmax)`).",
    check: Check::Manifests(check),
    ..super::ENFORCED
};

/// The sysctls baseline allows: isolated per pod, so they cannot reach the node.
const SAFE: &[&str] = &[
    "kernel.shm_rmid_forced",
    "net.ipv4.ip_local_port_range",
    "net.ipv4.ip_unprivileged_port_start",
    "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range",
    "net.ipv4.ip_local_reserved_ports",
    "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
    "net.ipv4.tcp_rmem",
    "net.ipv4.tcp_wmem",
];

fn check(set: &crate::ManifestSet, sink: &mut ManifestSink) {
    each_pod(set, sink, Level::Baseline, |pod, sink| {
        let sysctls = pod.security_context().and_then(|s| s.sysctls.as_ref());
        for (i, sysctl) in sysctls.into_iter().flatten().enumerate() {
            if !SAFE.contains(&sysctl.name.as_str()) {
                let field = pod.field(&format!("securityContext.sysctls[{i}].name"));
                pod.report(sink, field, format_args!("{} sets the sysctl {}", pod.who(), sysctl.name));
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::testing::fields;
    use super::super::Level::*;

    const RULE: &str = "pod-security-sysctls";

    #[test]
    fn safe_sysctls_pass() {
        let spec = "  securityContext: {sysctls: [{name: net.ipv4.tcp_rmem, value: \"4096 87380 16777216\"}]}\n  containers: [{name: a, image: a}]\n";
        assert!(fields(Baseline, RULE, spec).is_empty());
    }

    #[test]
    fn an_unsafe_sysctl_is_rejected() {
        let spec = "  securityContext: {sysctls: [{name: kernel.shm_rmid_forced, value: \"0\"}, {name: kernel.msgmax, value: \"1\"}]}\n  containers: [{name: a, image: a}]\n";
        assert_eq!(fields(Baseline, RULE, spec), ["spec.securityContext.sysctls[1].name"]);
    }
}
