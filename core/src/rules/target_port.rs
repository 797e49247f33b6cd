//! target-port-unresolved: each Service port's targetPort must be a port the selected pods declare.

use super::workloads::{
    declared_ports, port_ref_text, ports_text, quoted_number_hint, resolve_port, selected_workloads, PortMatch,
};
use super::{Category, Check, EdgeKind, Rule};
use crate::diagnostic::Severity::*;
use crate::path::field_path;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use std::borrow::Cow;

pub const RULE: Rule = Rule {
    id: "target-port-unresolved",
    summary: "A Service's targetPort must name a port the selected containers expose, or traffic goes nowhere (an undeclared number is a warning: it is still forwarded).",
    help: "Set targetPort to the container port's name or number.",
    category: Category::Relationship,
    minikube: Some(Error),
    production: Some(Error),
    check: Check::Manifests(check),
};

fn check(set: &crate::ManifestSet, sink: &mut super::ManifestSink) {
    for (index, service) in set.services() {
        let name = service.metadata.name.as_deref().unwrap_or("");
        let ports = service.spec.as_ref().and_then(|s| s.ports.as_deref()).unwrap_or(&[]);
        let Some(service_ref) = set.reference(index) else { continue };
        // Services selecting nothing are service-selects-nothing's finding; nothing to route to.
        for w in selected_workloads(set, index) {
            let who = w.who();
            let declared = declared_ports(&w);
            for (i, port) in ports.iter().enumerate() {
                // targetPort defaults to port: point at whichever the user wrote.
                let (target, written_field) = match &port.target_port {
                    Some(target) => (Cow::Borrowed(target), "targetPort"),
                    None => (Cow::Owned(IntOrString::Int(port.port)), "port"),
                };
                let field = || field_path!("spec", "ports", i, written_field);
                let (from, to) = (service_ref.clone(), w.pods_ref(set));
                let defaulted = if port.target_port.is_none() { " (targetPort defaults to port)" } else { "" };
                match resolve_port(&target, declared.iter().copied()) {
                    PortMatch::Declared(number) => {
                        let label = match &*target {
                            IntOrString::String(name) => format!("{} -> {name} ({number})", port.port),
                            IntOrString::Int(_) => format!("{} -> {number}", port.port),
                        };
                        sink.edge(from, to, EdgeKind::RoutesTo, label);
                    }
                    PortMatch::UndeclaredNumber(number) => {
                        let message = format!(
                            "Service `{name}` port {} sends traffic to port {number}{defaulted}, but no container of {who} declares containerPort {number} (it declares {}). The kubelet forwards there all the same, so it works only if the app listens on {number}: declare the port, or point targetPort at a declared one.",
                            port.port,
                            ports_text(declared.iter().copied())
                        );
                        sink.doubtful_edge(
                            from,
                            to,
                            EdgeKind::RoutesTo,
                            format!("{} -> {number}", port.port),
                            (index, field()),
                            message,
                        );
                    }
                    PortMatch::UnknownName => {
                        let written = port_ref_text(&target);
                        let mut message = format!(
                            "Service `{name}` port {} targets the port named `{written}`, but no container of {who} has a port of that name (it declares {}), so the Service has no endpoints for it.",
                            port.port,
                            ports_text(declared.iter().copied())
                        );
                        message.extend(quoted_number_hint(&target));
                        sink.broken_edge(
                            from,
                            to,
                            EdgeKind::RoutesTo,
                            format!("{} -> {written}", port.port),
                            (index, field()),
                            message,
                        );
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{manifests, rendered};

    const RULE: &str = "target-port-unresolved";

    fn set(service_ports: &str) -> String {
        format!(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {{app: web}}\n  ports:\n{service_ports}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {{app: web}}\n  template:\n    metadata:\n      labels: {{app: web}}\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n          ports:\n            - {{name: http, containerPort: 8080}}\n"
        )
    }

    #[test]
    fn the_default_render_routes_by_name() {
        let sink = rendered(RULE, "{}");
        assert!(sink.findings.is_empty(), "{:?}", sink.findings);
        let labels: Vec<String> = sink.edges.iter().map(|e| e.label).collect();
        assert_eq!(labels, ["8000 -> http (8000)", "80 -> http (3000)"]);
    }

    #[test]
    fn an_unknown_port_name_is_broken_at_the_target_port() {
        let sink = rendered(RULE, "components:\n  todo-backend:\n    service:\n      targetPort: web\n");
        assert_eq!(sink.findings.len(), 1);
        assert_eq!(sink.findings[0].field.to_string(), "spec.ports[0].targetPort");
        assert!(sink.findings[0].message.contains("http=8000"), "{}", sink.findings[0].message);
        let broken: Vec<String> = sink.edges.iter().filter(|e| e.broken.is_some()).map(|e| e.label).collect();
        assert_eq!(broken, ["8000 -> web"]);
    }

    #[test]
    fn numbers_must_be_declared_and_default_to_port() {
        let ok = manifests(RULE, &set("    - {port: 80, targetPort: 8080}"));
        assert!(ok.findings.is_empty(), "{:?}", ok.findings);
        assert_eq!(ok.edges.get(0).label, "80 -> 8080");
        let undeclared = manifests(RULE, &set("    - {port: 80, targetPort: 8000}"));
        assert_eq!(undeclared.findings[0].field.to_string(), "spec.ports[0].targetPort");
        assert!(undeclared.findings[0].message.contains("declares containerPort 8000"));
        let defaulted = manifests(RULE, &set("    - {port: 80}"));
        assert_eq!(defaulted.findings[0].field.to_string(), "spec.ports[0].port");
        assert!(defaulted.findings[0].message.contains("defaults to port"));
    }

    #[test]
    fn a_quoted_number_is_a_name_and_says_so() {
        let sink = manifests(RULE, &set("    - {port: 80, targetPort: \"8080\"}"));
        assert_eq!(sink.findings.len(), 1);
        assert!(sink.findings[0].message.contains("without quotes"), "{}", sink.findings[0].message);
    }
}
