//! port-name: container port names, and ports referred to by name, must be IANA service names.

use super::{Category, Check, Rule};
use crate::diagnostic::Severity::*;
use crate::manifest::workload::{parsed_containers, probe_port, probes};
use crate::names::{describe, iana_svc_name};
use crate::path::field_path;
use crate::values::PortRef;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

pub const RULE: Rule = Rule {
    id: "port-name",
    summary:
        "Port names must be IANA service names: at most 15 lowercase letters, digits or '-', with at least one letter.",
    help: "Shorten or rename the port, e.g. `http` or `metrics`; to mean a port number, write it without quotes.",
    category: Category::Field,
    minikube: Some(Error),
    production: Some(Error),
    check: Check::Both(check, check_manifests),
};

fn check(values: &crate::Values, sink: &mut super::ValuesSink) {
    for (name, component) in &values.components {
        for (i, port) in component.ports.iter().enumerate() {
            if let Err(reason) = iana_svc_name(&port.name) {
                sink.report(
                    field_path!("components", name, "ports", i, "name"),
                    describe("port name", &port.name, &reason),
                );
            }
        }
        if let Some(PortRef::Name(port)) = component.service.as_ref().map(|s| &s.target_port) {
            if let Some(message) = reference_problem("targetPort", port) {
                sink.report(field_path!("components", name, "service", "targetPort"), message);
            }
        }
        let probes = &component.probes;
        for (kind, probe) in
            [("liveness", &probes.liveness), ("readiness", &probes.readiness), ("startup", &probes.startup)]
        {
            if let Some(PortRef::Name(port)) = probe.as_ref().map(|p| &p.port) {
                if let Some(message) = reference_problem(format_args!("{kind} probe port"), port) {
                    sink.report(field_path!("components", name, "probes", kind, "port"), message);
                }
            }
        }
    }
}

fn check_manifests(set: &crate::ManifestSet, sink: &mut super::ManifestSink) {
    for c in parsed_containers(set) {
        for (i, port) in c.container.ports.iter().flatten().enumerate() {
            let Some(name) = &port.name else { continue };
            if let Err(reason) = iana_svc_name(name) {
                let what = format!("port name of {}", c.who());
                sink.report(
                    c.resource(),
                    c.field().join(&field_path!("ports", i, "name")),
                    describe(&what, name, &reason),
                );
            }
        }
        for (field, probe) in probes(c.container) {
            let Some((action, port)) = probe.and_then(probe_port) else { continue };
            if let IntOrString::String(port) = &*port {
                if let Some(message) = reference_problem(format_args!("{field} port of {}", c.who()), port) {
                    sink.report(c.resource(), c.field().join(&field_path!(field, action, "port")), message);
                }
            }
        }
    }
    for (i, service) in set.services().filter(|(i, _)| set.resources[*i].is_parsed()) {
        for (j, port) in service.spec.iter().flat_map(|s| s.ports.iter().flatten()).enumerate() {
            if let Some(IntOrString::String(target)) = &port.target_port {
                let name = service.metadata.name.as_deref().unwrap_or("");
                if let Some(message) = reference_problem(format_args!("targetPort of Service `{name}`"), target) {
                    sink.report(i, field_path!("spec", "ports", j, "targetPort"), message);
                }
            }
        }
    }
}

/// A port given by name must itself be a valid port name, or it can never match one.
fn reference_problem(what: impl std::fmt::Display, port: &str) -> Option<String> {
    let reason = iana_svc_name(port).err()?;
    // `"8080"` in quotes is a string, so it is read as a name: the usual cause of this finding.
    Some(match port.parse::<u16>() {
        Ok(number) => format!(
            "{what} `{port}` is quoted, so it is read as a port name, and a name must contain a letter; write {number} without quotes to mean the port number"
        ),
        Err(_) => describe(&format!("{what} name"), port, &reason),
    })
}

#[cfg(test)]
mod tests {
    use crate::path::FieldPath;
    use crate::rules::testing::values_findings;

    #[test]
    fn the_default_preset_passes() {
        let overlay = "components:\n  todo-backend:\n    ports: [{name: metrics-port-01, containerPort: 8000}]\n    service: {targetPort: metrics-port-01}\n";
        assert!(values_findings("port-name", overlay).is_empty());
    }

    #[test]
    fn a_port_name_over_15_characters_is_reported() {
        let findings = values_findings(
            "port-name",
            "components:\n  todo-backend:\n    ports: [{name: http-metrics-port, containerPort: 8000}]\n",
        );
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].path, FieldPath::parse("components.todo-backend.ports[0].name"));
        assert_eq!(
            findings[0].message,
            "port name `http-metrics-port` is 17 characters long; port names allow at most 15"
        );
    }

    #[test]
    fn a_quoted_number_as_target_port_says_how_to_fix_it() {
        let findings =
            values_findings("port-name", "components:\n  todo-backend:\n    service: {targetPort: \"8000\"}\n");
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].path, FieldPath::parse("components.todo-backend.service.targetPort"));
        assert!(findings[0].message.contains("write 8000 without quotes"), "{}", findings[0].message);
    }

    #[test]
    fn a_named_probe_port_must_be_a_valid_name() {
        let overlay = "components:\n  todo-frontend:\n    probes:\n      readiness: {path: /, port: Http}\n";
        let findings = values_findings("port-name", overlay);
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].path, FieldPath::parse("components.todo-frontend.probes.readiness.port"));
        assert_eq!(
            findings[0].message,
            "readiness probe port name `Http` contains `H`; only lowercase letters, digits and `-` are allowed"
        );
    }
}
