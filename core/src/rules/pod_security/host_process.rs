//! pod-security-host-process: the baseline control "HostProcess" (Windows).

use super::{context, each_pod, Level};
use crate::rules::{Check, ManifestSink, Rule};

pub const RULE: Rule = Rule {
    id: "pod-security-host-process",
    summary: "Pod Security baseline: a Windows HostProcess container runs directly on the node, with the node's privileges.",
    help: "Remove `windowsOptions.hostProcess: true` (the API server says: `hostProcess (pod and containers must not set securityContext.windowsOptions.hostProcess=true)`).",
    check: Check::Manifests(check),
    ..super::ENFORCED
};

fn check(set: &crate::ManifestSet, sink: &mut ManifestSink) {
    const FIELD: &str = "securityContext.windowsOptions.hostProcess";
    each_pod(set, sink, Level::Baseline, |pod, sink| {
        let of_pod = pod.security_context().and_then(|s| s.windows_options.as_ref()).and_then(|w| w.host_process);
        if of_pod == Some(true) {
            pod.report(sink, pod.field(FIELD), format_args!("{} sets {FIELD}=true", pod.who()));
        }
        for c in pod.containers() {
            if context(&c).and_then(|s| s.windows_options.as_ref()).and_then(|w| w.host_process) == Some(true) {
                pod.report(sink, c.at(FIELD), format_args!("{} sets {FIELD}=true", c.who()));
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::testing::fields;
    use super::super::Level::*;

    const RULE: &str = "pod-security-host-process";

    #[test]
    fn false_passes() {
        let spec = "  securityContext: {windowsOptions: {hostProcess: false}}\n  containers: [{name: a, image: a}]\n";
        assert!(fields(Baseline, RULE, spec).is_empty());
    }

    #[test]
    fn pod_and_container_host_process_are_rejected() {
        let spec = "  securityContext: {windowsOptions: {hostProcess: true}}\n  containers: [{name: a, image: a, securityContext: {windowsOptions: {hostProcess: true}}}]\n";
        assert_eq!(
            fields(Baseline, RULE, spec),
            [
                "spec.securityContext.windowsOptions.hostProcess",
                "spec.containers[0].securityContext.windowsOptions.hostProcess"
            ]
        );
    }
}
