//! pod-security-host-probes: the baseline control "Host Probes / Lifecycle Hooks" (a probe or
//! hook may only reach its own pod).

use super::{each_pod, Level};
use crate::rules::{Check, ManifestSink, Rule};
use k8s_openapi::api::core::v1::{HTTPGetAction, TCPSocketAction};

pub const RULE: Rule = Rule {
    id: "pod-security-host-probes",
    summary: "Pod Security baseline: a probe or lifecycle hook with a `host` makes the kubelet call another machine for the pod.",
    help: "Remove `host` from the probe or hook: it then reaches the pod's own IP (the API server says: `probe or lifecycle host (container \"app\" uses probe or lifecycle hooks with host \"bad.host\")`).",
    check: Check::Manifests(check),
    ..super::ENFORCED
};

fn host<'a>(http: Option<&'a HTTPGetAction>, tcp: Option<&'a TCPSocketAction>) -> [(&'static str, Option<&'a str>); 2] {
    [("httpGet.host", http.and_then(|h| h.host.as_deref())), ("tcpSocket.host", tcp.and_then(|t| t.host.as_deref()))]
}

fn check(set: &crate::ManifestSet, sink: &mut ManifestSink) {
    each_pod(set, sink, Level::Baseline, |pod, sink| {
        for c in pod.containers() {
            let probes = crate::manifest::workload::probes(c.container)
                .map(|(name, probe)| (name, probe.map(|p| host(p.http_get.as_ref(), p.tcp_socket.as_ref()))));
            let lifecycle = c.container.lifecycle.as_ref();
            let hooks = [
                ("lifecycle.postStart", lifecycle.and_then(|l| l.post_start.as_ref())),
                ("lifecycle.preStop", lifecycle.and_then(|l| l.pre_stop.as_ref())),
            ]
            .map(|(name, hook)| (name, hook.map(|h| host(h.http_get.as_ref(), h.tcp_socket.as_ref()))));
            for (handler, hosts) in probes.into_iter().chain(hooks) {
                for (leaf, value) in hosts.into_iter().flatten() {
                    if let Some(value) = value.filter(|v| !v.is_empty()) {
                        pod.report(
                            sink,
                            c.at(&format!("{handler}.{leaf}")),
                            format_args!("{} has a {handler} with host \"{value}\"", c.who()),
                        );
                    }
                }
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::testing::fields;
    use super::super::Level::*;

    const RULE: &str = "pod-security-host-probes";

    #[test]
    fn probes_without_host_pass() {
        let spec = "  containers: [{name: a, image: a, livenessProbe: {httpGet: {port: 80, host: \"\"}}, readinessProbe: {tcpSocket: {port: 80}}}]\n";
        assert!(fields(Baseline, RULE, spec).is_empty());
    }

    #[test]
    fn a_probe_or_hook_host_is_rejected() {
        let spec = "  containers: [{name: a, image: a, readinessProbe: {tcpSocket: {port: 80, host: db}}, lifecycle: {preStop: {httpGet: {port: 80, host: bad.host}}}}]\n";
        assert_eq!(
            fields(Baseline, RULE, spec),
            ["spec.containers[0].readinessProbe.tcpSocket.host", "spec.containers[0].lifecycle.preStop.httpGet.host"]
        );
    }
}
