//! url-service-unresolved: env values that address a Service by DNS name must name one that exists, on one of its ports.

use super::workloads::{declared_ports, port_ref_text, resolve_port, selected_workloads, PortMatch};
use super::{Category, Check, EdgeKind, Rule};
use crate::diagnostic::Severity::*;
use crate::manifest::calls::env_calls;
use crate::manifest::ManifestSet;
use crate::resource::ResourceRef;
use hashbrown::HashSet;
use k8s_openapi::api::core::v1::Service;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use std::collections::BTreeSet;

pub const RULE: Rule = Rule {
    id: "url-service-unresolved",
    summary: "An env value that points at a Service (http://name:port or name:port) must name a Service in the namespace and one of its ports.",
    help: "Use the Service's name and its `port` (not the container's targetPort).",
    category: Category::Relationship,
    minikube: Some(Error),
    production: Some(Error),
    check: Check::Manifests(check),
};

fn check(set: &ManifestSet, sink: &mut super::ManifestSink) {
    let namespaces = set.namespaces();
    let mut drawn = HashSet::new();
    for call in env_calls(set) {
        // Without a scheme, `name:123` may be an image (`postgres:16`) or a ratio: only an
        // existing Service's name or an env name that says "address" makes it one.
        if call.service.is_none() && !call.network_scheme {
            continue;
        }
        let from = call.container.workload.pods_ref(set);
        let to = ResourceRef::new("", "Service", call.namespace, &call.service_name);
        let label = call.label();
        if !drawn.insert((from.clone(), to.clone(), label.clone())) {
            continue;
        }
        let at = || (call.container.resource(), call.field());
        let (name, namespace, env) = (&call.service_name, call.namespace, call.env_name);
        let Some((service_index, service)) = call.service else {
            let mut message = format!(
                "env `{env}` calls `{}`, but there is no Service `{name}` in namespace `{namespace}`",
                call.address.shown()
            );
            if call.qualified {
                message.push('.');
            } else {
                message.push_str(
                    ": inside the cluster a bare name resolves only to a Service of the pod's own namespace.",
                );
            }
            message.push_str(&missing_service_hint(set, &namespaces, name, namespace));
            sink.broken_edge(from, to, EdgeKind::Calls, label, at(), message);
            continue;
        };
        let Some(port) = call.port else {
            // A scheme with no standard port and none given: the Service exists, which is all
            // that can be checked.
            sink.edge(from, to, EdgeKind::Calls, label);
            continue;
        };
        let service_ports = service.spec.as_ref().and_then(|s| s.ports.as_deref()).unwrap_or(&[]);
        if service_ports.iter().any(|p| p.port == port) {
            sink.edge(from, to, EdgeKind::Calls, label);
            continue;
        }
        let implied = match (&call.address.port, &call.address.scheme) {
            (None, Some(scheme)) => format!(" (the default for {scheme}://)"),
            _ => String::new(),
        };
        let listed: Vec<String> = service_ports.iter().map(|p| p.port.to_string()).collect();
        let listed = if listed.is_empty() { "no ports".to_string() } else { listed.join(", ") };
        let mut message =
            format!("env `{env}` calls Service `{name}` on port {port}{implied}, but the Service listens on {listed}.");
        if let Some((service_port, target)) = target_port_used(set, service_index, service, port) {
            message.push_str(&format!(
                " {port} is the container's port (targetPort `{target}`): inside the cluster, clients call the Service's `port` ({service_port}) and the Service forwards to the container."
            ));
        }
        sink.broken_edge(from, to, EdgeKind::Calls, label, at(), message);
    }
}

/// The Service port whose target is `port` on the pods (by number, or by a name the selected
/// containers declare as `port`), with the targetPort as written: the common mistake of calling
/// the container's port instead of the Service's.
fn target_port_used(set: &ManifestSet, service_index: usize, service: &Service, port: i32) -> Option<(i32, String)> {
    let workloads = selected_workloads(set, service_index);
    let ports = service.spec.as_ref()?.ports.as_deref()?;
    ports.iter().find_map(|p| {
        let target = p.target_port.as_ref()?;
        let matches = workloads.iter().any(|w| matches!(resolve_port(target, declared_ports(w)), PortMatch::Declared(n) | PortMatch::UndeclaredNumber(n) if n == port));
        (matches || *target == IntOrString::Int(port)).then(|| (p.port, port_ref_text(target)))
    })
}

/// Why a Service may be missing: it is in another namespace, only a Deployment has the name,
/// or the name is a typo of one that exists.
fn missing_service_hint(set: &ManifestSet, namespaces: &BTreeSet<&str>, name: &str, namespace: &str) -> String {
    if let Some(other_ns) = namespaces.iter().find(|ns| set.find("Service", ns, name).is_some()) {
        return format!(" Service `{name}` is in namespace `{other_ns}`: call it `{name}.{other_ns}`.");
    }
    let workload = crate::manifest::WorkloadKind::ALL
        .iter()
        .find_map(|k| set.find(k.as_str(), namespace, name).and_then(|(i, _)| set.workload(i)));
    if let Some(w) = workload {
        return format!(" {} has no Service: pods are reached through a Service, so give the component one.", w.who());
    }
    let names = set.of_kind_in("Service", namespace).map(|i| set.resources[i].object.name());
    crate::presets::suggest(name, names).map(|n| format!(" Did you mean `{n}`?")).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{manifests, rendered};

    const RULE: &str = "url-service-unresolved";

    fn frontend_env(value: &str) -> String {
        format!("components:\n  todo-frontend:\n    env:\n      BACKEND_URL: \"{value}\"\n")
    }

    #[test]
    fn the_default_backend_url_calls_the_backend_service() {
        let sink = rendered(RULE, "{}");
        assert!(sink.findings.is_empty(), "{:?}", sink.findings);
        assert_eq!(sink.edges.len(), 1);
        assert_eq!(
            (sink.edges.get(0).from.to_string().as_str(), sink.edges.get(0).to.to_string().as_str()),
            ("todo-chatbot/Pods/todo-frontend", "todo-chatbot/Service/todo-backend")
        );
        assert_eq!(sink.edges.get(0).label, "BACKEND_URL :8000");
    }

    #[test]
    fn calling_the_target_port_instead_of_the_service_port_is_explained() {
        let overlay = "components:\n  todo-backend:\n    service: {port: 80}\n";
        let sink = rendered(RULE, overlay);
        assert_eq!(sink.findings.len(), 1);
        // After the frontend's one secret key.
        assert_eq!(sink.findings[0].field.to_string(), "spec.template.spec.containers[0].env[1].value");
        let message = &sink.findings[0].message;
        assert!(message.contains("listens on 80") && message.contains("targetPort `http`"), "{message}");
        assert!(sink.edges.get(0).broken.is_some());
    }

    #[test]
    fn a_bare_name_that_is_no_service_breaks_an_edge_to_a_missing_node() {
        let sink = rendered(RULE, &frontend_env("http://todo-backnd:8000"));
        assert_eq!(sink.findings.len(), 1);
        assert!(sink.findings[0].message.contains("bare name resolves only"), "{}", sink.findings[0].message);
        assert!(sink.findings[0].message.contains("Did you mean `todo-backend`?"));
        assert_eq!(sink.edges.get(0).to, "todo-chatbot/Service/todo-backnd");
        // Credentials in the URL never reach the message.
        let sink = rendered(RULE, &frontend_env("postgres://app:hunter2@db:5432/todo"));
        assert!(
            sink.findings[0].message.contains("`postgres://db:5432`") && !sink.findings[0].message.contains("hunter2"),
            "{}",
            sink.findings[0].message
        );
    }

    #[test]
    fn scheme_defaults_and_qualified_names_resolve() {
        let sink = rendered(RULE, &frontend_env("http://todo-frontend.todo-chatbot.svc.cluster.local"));
        assert!(sink.findings.is_empty(), "{:?}", sink.findings);
        assert_eq!(sink.edges.get(0).label, "BACKEND_URL :80");
        let wrong = rendered(RULE, &frontend_env("http://todo-backend.todo-chatbot"));
        assert!(wrong.findings[0].message.contains("(the default for http://)"), "{}", wrong.findings[0].message);
    }

    #[test]
    fn external_and_unrelated_values_are_ignored() {
        for value in
            ["https://api.openai.com/v1", "http://localhost:3000", "http://10.1.2.3:80", "s3://bucket/key", "12:30"]
        {
            let sink = rendered(RULE, &frontend_env(value));
            assert!(sink.findings.is_empty() && sink.edges.is_empty(), "{value}: {:?}", sink.edges);
        }
        // An image reference is not an address, but a host variable naming nothing is.
        let yaml = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: job\nspec:\n  selector:\n    matchLabels: {app: job}\n  template:\n    metadata:\n      labels: {app: job}\n    spec:\n      containers:\n        - name: job\n          image: job:1\n          env:\n            - {name: RUNNER_IMAGE, value: \"postgres:16\"}\n            - {name: REDIS_HOST, value: \"redis:6379\"}\n";
        let sink = manifests(RULE, yaml);
        assert_eq!(sink.findings.len(), 1);
        assert_eq!(sink.findings[0].field.to_string(), "spec.template.spec.containers[0].env[1].value");
    }
}
