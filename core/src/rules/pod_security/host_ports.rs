//! pod-security-host-ports: the baseline control "Host Ports".

use super::{each_pod, Level};
use crate::rules::{Check, ManifestSink, Rule};

pub const RULE: Rule = Rule {
    id: "pod-security-host-ports",
    summary: "Pod Security baseline: a hostPort opens a port on the node itself, outside the cluster's network policies.",
    help: "Remove `hostPort` and reach the pod through a Service (the API server says: `hostPort (container \"app\" uses hostPort 8080)`).",
    check: Check::Manifests(check),
    ..super::ENFORCED
};

fn check(set: &crate::ManifestSet, sink: &mut ManifestSink) {
    each_pod(set, sink, Level::Baseline, |pod, sink| {
        for c in pod.containers() {
            for (i, port) in c.container.ports.iter().flatten().enumerate() {
                if let Some(host) = port.host_port.filter(|&p| p != 0) {
                    pod.report(
                        sink,
                        c.at(&format!("ports[{i}].hostPort")),
                        format_args!("{} uses hostPort {host}", c.who()),
                    );
                }
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::testing::fields;
    use super::super::Level::*;

    const RULE: &str = "pod-security-host-ports";

    #[test]
    fn no_or_zero_host_port_passes() {
        let spec =
            "  containers: [{name: a, image: a, ports: [{containerPort: 80}, {containerPort: 81, hostPort: 0}]}]\n";
        assert!(fields(Baseline, RULE, spec).is_empty());
    }

    #[test]
    fn a_host_port_is_rejected() {
        let spec =
            "  containers: [{name: a, image: a, ports: [{containerPort: 80}, {containerPort: 81, hostPort: 81}]}]\n";
        assert_eq!(fields(Baseline, RULE, spec), ["spec.containers[0].ports[1].hostPort"]);
    }
}
