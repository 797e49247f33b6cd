//! probe-port-unresolved: a probe's port must be a port its container declares.

use super::workloads::{port_ref_text, ports_text, quoted_number_hint, resolve_port, PortMatch};
use super::{Category, Check, Rule};
use crate::diagnostic::Severity::*;
use crate::manifest::workload::containers;
use crate::path::field_path;
use k8s_openapi::api::core::v1::{ContainerPort, Probe};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use std::borrow::Cow;

pub const RULE: Rule = Rule {
    id: "probe-port-unresolved",
    summary: "A probe's port must name a port the container exposes, or the probe always fails (an undeclared number is a warning: the kubelet probes it anyway).",
    help: "Point the probe at the container port's name or number.",
    category: Category::Relationship,
    minikube: Some(Error),
    production: Some(Error),
    check: Check::Manifests(check),
};

fn check(set: &crate::ManifestSet, sink: &mut super::ManifestSink) {
    for c in containers(set) {
        let probes = [
            ("livenessProbe", &c.container.liveness_probe),
            ("readinessProbe", &c.container.readiness_probe),
            ("startupProbe", &c.container.startup_probe),
        ];
        // Only the probe's own container counts: a port of a sibling container answers the
        // probe, but then the probe checks the wrong container.
        let declared = c.container.ports.as_deref().unwrap_or(&[]);
        for (field, probe) in probes {
            let Some(probe) = probe else { continue };
            for (action, port) in probe_ports(probe) {
                let resolved = resolve_port(&port, declared);
                if let PortMatch::Declared(number) = resolved {
                    // Probes speak TCP (httpGet, tcpSocket, grpc): a UDP or SCTP port never answers.
                    let named = |p: &&ContainerPort| match &*port {
                        IntOrString::String(name) => p.name.as_deref() == Some(name.as_str()),
                        IntOrString::Int(n) => p.container_port == *n,
                    };
                    let protocol = declared.iter().find(named).and_then(|p| p.protocol.as_deref()).unwrap_or("TCP");
                    if protocol != "TCP" {
                        let message = format!(
                            "the {field} ({action}) of {} checks port {number} ({}), which is a {protocol} port: probes connect over TCP, so it always fails.",
                            c.who(),
                            port_ref_text(&port),
                        );
                        sink.report(c.resource(), c.field().join(&field_path!(field, action, "port")), message);
                    }
                    continue;
                }
                let what = match &*port {
                    IntOrString::Int(n) => format!("port {n}, which container `{}` does not declare", c.container.name),
                    IntOrString::String(name) => format!(
                        "the port named `{name}`, but container `{}` has no port of that name",
                        c.container.name
                    ),
                };
                let consequence = if field == "readinessProbe" {
                    " and the pod never becomes ready"
                } else {
                    " and the kubelet keeps restarting the container"
                };
                let outcome = match resolved {
                    PortMatch::UndeclaredNumber(_) => {
                        ["unless the app listens there anyway, the probe fails", consequence].concat()
                    }
                    _ => ["the probe fails", consequence].concat(),
                };
                let mut message = format!(
                    "the {field} ({action}) of {} checks {what} (it declares {}): {outcome}.",
                    c.workload.who(),
                    ports_text(declared),
                );
                message.extend(quoted_number_hint(&port));
                let at = c.field().join(&field_path!(field, action, "port"));
                // The kubelet probes the pod's IP at any number: an undeclared one may answer.
                if let PortMatch::UndeclaredNumber(_) = resolved {
                    sink.warn(c.resource(), at, message);
                } else {
                    sink.report(c.resource(), at, message);
                }
            }
        }
    }
}

/// The ports a probe connects to, with the action that names each (`httpGet`, `tcpSocket`, `grpc`).
fn probe_ports(probe: &Probe) -> impl Iterator<Item = (&'static str, Cow<'_, IntOrString>)> {
    let http_get = probe.http_get.as_ref().map(|action| ("httpGet", Cow::Borrowed(&action.port)));
    let tcp_socket = probe.tcp_socket.as_ref().map(|action| ("tcpSocket", Cow::Borrowed(&action.port)));
    let grpc = probe.grpc.as_ref().map(|action| ("grpc", Cow::Owned(IntOrString::Int(action.port))));
    http_get.into_iter().chain(tcp_socket).chain(grpc)
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{manifests, rendered};

    const RULE: &str = "probe-port-unresolved";

    fn deployment(container: &str) -> String {
        format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {{app: web}}\n  template:\n    metadata:\n      labels: {{app: web}}\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n          ports:\n            - {{name: http, containerPort: 8080}}\n{container}"
        )
    }

    #[test]
    fn the_default_render_probes_declared_ports() {
        assert!(rendered(RULE, "{}").findings.is_empty());
    }

    #[test]
    fn an_unknown_port_name_is_reported_at_the_probe_port() {
        let sink =
            rendered(RULE, "components:\n  todo-backend:\n    probes:\n      readiness: {path: /health, port: web}\n");
        assert_eq!(sink.findings.len(), 1);
        assert_eq!(sink.findings[0].field.to_string(), "spec.template.spec.containers[0].readinessProbe.httpGet.port");
        assert!(sink.findings[0].message.contains("http=8000"), "{}", sink.findings[0].message);
        assert!(sink.edges.is_empty());
    }

    #[test]
    fn numbers_must_be_declared_for_every_kind_of_probe() {
        let ok = "          livenessProbe:\n            tcpSocket: {port: 8080}\n          startupProbe:\n            grpc: {port: 8080}\n          readinessProbe:\n            httpGet: {path: /, port: http}\n";
        assert!(manifests(RULE, &deployment(ok)).findings.is_empty());
        let bad = "          livenessProbe:\n            tcpSocket: {port: 80}\n          startupProbe:\n            grpc: {port: 9090}\n";
        let sink = manifests(RULE, &deployment(bad));
        let fields: Vec<String> = sink.findings.iter().map(|f| f.field.to_string()).collect();
        assert_eq!(
            fields,
            [
                "spec.template.spec.containers[0].livenessProbe.tcpSocket.port",
                "spec.template.spec.containers[0].startupProbe.grpc.port"
            ]
        );
        assert!(sink.findings[0].message.contains("does not declare"));
    }

    #[test]
    fn a_probe_on_a_udp_port_always_fails() {
        let yaml = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: dns}\nspec:\n  selector: {matchLabels: {app: dns}}\n  template:\n    metadata: {labels: {app: dns}}\n    spec:\n      containers:\n        - name: dns\n          image: \"dns:1\"\n          ports: [{name: udp, containerPort: 53, protocol: UDP}, {name: tcp, containerPort: 53}]\n          livenessProbe: {tcpSocket: {port: udp}}\n          readinessProbe: {tcpSocket: {port: tcp}}\n";
        let sink = crate::rules::testing::manifests("probe-port-unresolved", yaml);
        assert_eq!(sink.findings.len(), 1, "{:?}", sink.findings);
        assert!(sink.findings[0].message.contains("UDP port") && sink.findings[0].message.contains("DaemonSet `dns`"));
    }
}
