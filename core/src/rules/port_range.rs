//! port-range: container, Service, target and probe port numbers must be 1-65535.

use super::{Category, Check, Rule};
use crate::diagnostic::Severity::*;
use crate::manifest::workload::{parsed_containers, probe_port, probes};
use crate::path::field_path;
use crate::values::PortRef;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

pub const RULE: Rule = Rule {
    id: "port-range",
    summary: "Container, Service, target and probe ports must be between 1 and 65535.",
    help: "Use a port number from 1 to 65535.",
    category: Category::Field,
    minikube: Some(Error),
    production: Some(Error),
    check: Check::Both(check, check_manifests),
};

fn check(values: &crate::Values, sink: &mut super::ValuesSink) {
    for (name, component) in &values.components {
        for (i, port) in component.ports.iter().enumerate() {
            if let Some(message) = problem("containerPort", port.container_port) {
                sink.report(field_path!("components", name, "ports", i, "containerPort"), message);
            }
        }
        if let Some(service) = &component.service {
            if let Some(message) = problem("Service port", service.port) {
                sink.report(field_path!("components", name, "service", "port"), message);
            }
            // A named target port is port-name's business.
            if let PortRef::Number(number) = service.target_port {
                if let Some(message) = problem("targetPort", number) {
                    sink.report(field_path!("components", name, "service", "targetPort"), message);
                }
            }
        }
        let probes = &component.probes;
        for (kind, probe) in
            [("liveness", &probes.liveness), ("readiness", &probes.readiness), ("startup", &probes.startup)]
        {
            if let Some(PortRef::Number(number)) = probe.as_ref().map(|p| &p.port) {
                if let Some(message) = problem(format_args!("{kind} probe port"), *number) {
                    sink.report(field_path!("components", name, "probes", kind, "port"), message);
                }
            }
        }
    }
}

fn check_manifests(set: &crate::ManifestSet, sink: &mut super::ManifestSink) {
    for c in parsed_containers(set) {
        for (i, port) in c.container.ports.iter().flatten().enumerate() {
            if let Some(message) = problem(format_args!("containerPort of {}", c.who()), port.container_port) {
                sink.report(c.resource(), c.field().join(&field_path!("ports", i, "containerPort")), message);
            }
        }
        for (field, probe) in probes(c.container) {
            let Some((action, port)) = probe.and_then(probe_port) else { continue };
            if let IntOrString::Int(number) = &*port {
                if let Some(message) = problem(format_args!("{field} port of {}", c.who()), *number) {
                    sink.report(c.resource(), c.field().join(&field_path!(field, action, "port")), message);
                }
            }
        }
    }
    for (i, service) in set.services().filter(|(i, _)| set.resources[*i].is_parsed()) {
        let name = service.metadata.name.as_deref().unwrap_or("");
        for (j, port) in service.spec.iter().flat_map(|s| s.ports.iter().flatten()).enumerate() {
            if let Some(message) = problem(format_args!("port of Service `{name}`"), port.port) {
                sink.report(i, field_path!("spec", "ports", j, "port"), message);
            }
            if let Some(IntOrString::Int(target)) = &port.target_port {
                if let Some(message) = problem(format_args!("targetPort of Service `{name}`"), *target) {
                    sink.report(i, field_path!("spec", "ports", j, "targetPort"), message);
                }
            }
        }
    }
}

/// What is wrong with a port number, if anything.
fn problem(what: impl std::fmt::Display, port: i32) -> Option<String> {
    (!(1..=65535).contains(&port)).then(|| format!("{what} {port} is out of range; ports go from 1 to 65535"))
}

#[cfg(test)]
mod tests {
    use crate::path::FieldPath;
    use crate::rules::testing::values_findings;

    #[test]
    fn the_default_preset_passes() {
        let overlay = "components:\n  todo-backend:\n    ports: [{name: http, containerPort: 65535}]\n    service: {port: 1, targetPort: 65535}\n";
        assert!(values_findings("port-range", overlay).is_empty());
    }

    #[test]
    fn a_container_port_over_65535_is_reported_at_it() {
        let findings = values_findings(
            "port-range",
            "components:\n  todo-backend:\n    ports: [{name: http, containerPort: 80000}]\n",
        );
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].path, FieldPath::parse("components.todo-backend.ports[0].containerPort"));
        assert_eq!(findings[0].message, "containerPort 80000 is out of range; ports go from 1 to 65535");
    }

    #[test]
    fn service_target_and_probe_ports_are_checked() {
        let overlay = "components:\n  todo-backend:\n    service: {port: 0, targetPort: 70000}\n    probes:\n      startup: {path: /health, port: -1}\n";
        let findings = values_findings("port-range", overlay);
        let found: Vec<(String, &str)> = findings.iter().map(|f| (f.path.to_string(), f.message.as_str())).collect();
        assert_eq!(
            found,
            [
                (
                    "components.todo-backend.service.port".to_string(),
                    "Service port 0 is out of range; ports go from 1 to 65535"
                ),
                (
                    "components.todo-backend.service.targetPort".to_string(),
                    "targetPort 70000 is out of range; ports go from 1 to 65535"
                ),
                (
                    "components.todo-backend.probes.startup.port".to_string(),
                    "startup probe port -1 is out of range; ports go from 1 to 65535"
                ),
            ]
        );
    }
}
