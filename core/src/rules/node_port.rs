//! node-port: a fixed nodePort must lie in 30000-32767, on a NodePort or LoadBalancer Service.

use super::{Category, Check, Rule};
use crate::diagnostic::Severity::*;
use crate::path::field_path;

pub const RULE: Rule = Rule {
    id: "node-port",
    summary: "A nodePort must be in 30000-32767 and is only allowed on NodePort and LoadBalancer Services.",
    help: "Pick a nodePort in 30000-32767, or remove it (Kubernetes then picks one), or change the Service type.",
    category: Category::Field,
    minikube: Some(Error),
    production: Some(Error),
    check: Check::Values(check),
};

/// The API server's default `--service-node-port-range`.
const NODE_PORTS: std::ops::RangeInclusive<i32> = 30000..=32767;

fn check(values: &crate::Values, sink: &mut super::ValuesSink) {
    for (name, component) in &values.components {
        let Some(service) = &component.service else { continue };
        // 0 is how the API spells "not set": Kubernetes then allocates one.
        let Some(node_port) = service.node_port.filter(|&p| p != 0) else { continue };
        let at = field_path!("components", name, "service", "nodePort");
        // Both problems are reported: each needs its own fix.
        if !service.type_.opens_node_ports() {
            sink.report(
                at.clone(),
                format!("nodePort {node_port} is set on a ClusterIP Service; only NodePort and LoadBalancer Services open node ports"),
            );
        }
        if !NODE_PORTS.contains(&node_port) {
            sink.report(
                at,
                format!(
                    "nodePort {node_port} is outside {}-{}, the range Kubernetes allocates node ports from",
                    NODE_PORTS.start(),
                    NODE_PORTS.end()
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::path::FieldPath;
    use crate::rules::testing::values_findings;

    #[test]
    fn the_default_preset_passes() {
        let overlay = "components:\n  todo-frontend:\n    service: {type: NodePort, port: 80, targetPort: http, nodePort: 30080}\n";
        assert!(values_findings("node-port", overlay).is_empty());
    }

    #[test]
    fn a_node_port_outside_the_range_is_reported() {
        let findings = values_findings("node-port", "components:\n  todo-frontend:\n    service: {nodePort: 8080}\n");
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].path, FieldPath::parse("components.todo-frontend.service.nodePort"));
        assert_eq!(
            findings[0].message,
            "nodePort 8080 is outside 30000-32767, the range Kubernetes allocates node ports from"
        );
    }

    #[test]
    fn a_node_port_on_cluster_ip_is_reported() {
        let findings = values_findings("node-port", "components:\n  todo-backend:\n    service: {nodePort: 30001}\n");
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].path, FieldPath::parse("components.todo-backend.service.nodePort"));
        assert!(findings[0].message.contains("ClusterIP"), "{}", findings[0].message);
    }

    #[test]
    fn zero_means_unset() {
        assert!(values_findings("node-port", "components:\n  todo-backend:\n    service: {nodePort: 0}\n").is_empty());
    }
}
