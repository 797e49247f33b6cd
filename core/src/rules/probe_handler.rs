//! probe-handler: a probe needs exactly one way to check the container (exec, httpGet, tcpSocket or grpc); the API server rejects none or several.

use super::{Category, Check, ManifestSink, Rule};
use crate::diagnostic::Severity::*;
use crate::manifest::workload::{all_containers, probes};
use crate::manifest::ManifestSet;

pub const RULE: Rule = Rule {
    id: "probe-handler",
    summary: "A probe checks the container one way: exactly one of `exec`, `httpGet`, `tcpSocket` or `grpc`. With none the API server says \"must specify a handler type\", with two \"may not specify more than 1 handler type\".",
    help: "Keep one of `exec`, `httpGet`, `tcpSocket` and `grpc` in the probe (e.g. `httpGet: {path: /health, port: http}`).",
    category: Category::Field,
    minikube: Some(Error),
    production: Some(Error),
    check: Check::Manifests(check),
};

fn check(set: &ManifestSet, sink: &mut ManifestSink) {
    for c in all_containers(set) {
        for (field, probe) in probes(c.container) {
            let Some(probe) = probe else { continue };
            let count =
                [probe.exec.is_some(), probe.http_get.is_some(), probe.tcp_socket.is_some(), probe.grpc.is_some()];
            if count.iter().filter(|set| **set).count() == 1 {
                continue;
            }
            let handlers: Vec<&str> = [
                ("exec", probe.exec.is_some()),
                ("httpGet", probe.http_get.is_some()),
                ("tcpSocket", probe.tcp_socket.is_some()),
                ("grpc", probe.grpc.is_some()),
            ]
            .into_iter()
            .filter_map(|(name, set)| set.then_some(name))
            .collect();
            let who = c.who();
            let message = match handlers.as_slice() {
                [_] => continue,
                [] => format!(
                    "the {field} of {who} says how often to check but not how: the API server rejects it (`Required value: must specify a handler type`). Add one of `exec`, `httpGet`, `tcpSocket` or `grpc`."
                ),
                several => format!(
                    "the {field} of {who} has {} handlers ({}): the API server rejects it (`Forbidden: may not specify more than 1 handler type`). Keep one.",
                    several.len(),
                    several.iter().map(|h| format!("`{h}`")).collect::<Vec<_>>().join(", ")
                ),
            };
            sink.report(c.resource(), c.at(field), message);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{manifests, rendered};

    fn pod(probe: &str) -> String {
        format!("apiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nspec:\n  containers:\n  - name: app\n    image: nginx:1\n    livenessProbe: {probe}\n")
    }

    #[test]
    fn no_handler_and_two_handlers_are_rejected() {
        let none = manifests("probe-handler", &pod("{periodSeconds: 5}"));
        assert_eq!(none.findings.len(), 1);
        assert_eq!(none.findings[0].field.to_string(), "spec.containers[0].livenessProbe");
        assert!(none.findings[0].message.contains("must specify a handler type"), "{}", none.findings[0].message);
        let two = manifests("probe-handler", &pod("{httpGet: {path: /, port: 80}, tcpSocket: {port: 80}}"));
        assert_eq!(two.findings.len(), 1);
        assert!(two.findings[0].message.contains("`httpGet`, `tcpSocket`"), "{}", two.findings[0].message);
    }

    #[test]
    fn one_handler_passes() {
        assert!(manifests("probe-handler", &pod("{exec: {command: ['true']}}")).findings.is_empty());
        assert!(rendered("probe-handler", "").findings.is_empty());
    }
}
