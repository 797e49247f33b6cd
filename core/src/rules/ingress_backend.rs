//! ingress-backend-unresolved: each Ingress backend must name a Service of its namespace and one of that Service's ports.

use super::{Category, Check, EdgeKind, ManifestSink, Rule};
use crate::diagnostic::Severity::*;
use crate::manifest::{ManifestSet, Object};
use crate::path::{FieldPath, Segment};
use crate::resource::ResourceRef;
use k8s_openapi::api::core::v1::ServicePort;
use k8s_openapi::api::networking::v1::{IngressBackend, ServiceBackendPort};

pub const RULE: Rule = Rule {
    id: "ingress-backend-unresolved",
    summary: "An Ingress backend must name a Service in the Ingress's namespace and one of its ports (by number or name), or requests get 503s.",
    help: "Point `backend.service` at an existing Service and one of its `port` numbers or port names.",
    category: Category::Relationship,
    minikube: Some(Error),
    production: Some(Error),
    check: Check::Manifests(check),
};

/// Every backend of an Ingress, with where it is written and the host/path it serves.
pub(super) fn backends(
    spec: &k8s_openapi::api::networking::v1::IngressSpec,
) -> Vec<(FieldPath, String, &IngressBackend)> {
    let mut out = Vec::new();
    if let Some(backend) = &spec.default_backend {
        out.push((FieldPath(vec!["spec".into(), "defaultBackend".into()]), "default".to_string(), backend));
    }
    for (i, rule) in spec.rules.iter().flatten().enumerate() {
        for (j, path) in rule.http.iter().flat_map(|h| h.paths.iter()).enumerate() {
            let field: Vec<Segment> = vec![
                "spec".into(),
                "rules".into(),
                i.into(),
                "http".into(),
                "paths".into(),
                j.into(),
                "backend".into(),
            ];
            let served = format!("{}{}", rule.host.as_deref().unwrap_or("*"), path.path.as_deref().unwrap_or("/"));
            out.push((FieldPath(field), served, &path.backend));
        }
    }
    out
}

/// The Service port an Ingress backend names, by name or number; the first when it names none.
pub(super) fn backend_port<'a>(
    ports: &'a [ServicePort],
    wanted: Option<&ServiceBackendPort>,
) -> Option<&'a ServicePort> {
    ports.iter().find(|p| match wanted {
        Some(w) if w.name.is_some() => p.name == w.name,
        Some(w) => Some(p.port) == w.number,
        None => true,
    })
}

fn check(set: &ManifestSet, sink: &mut ManifestSink) {
    for (index, resource) in set.iter() {
        let Object::Ingress(ingress) = &resource.object else { continue };
        let Some(spec) = &ingress.spec else { continue };
        let (Some(from), namespace) = (set.reference(index), set.namespace_of(index)) else { continue };
        let who = format!("Ingress `{}`", from.name);
        for (field, served, backend) in backends(spec) {
            // A resource backend (a storage bucket, say) is not a Service.
            let Some(service) = &backend.service else {
                if backend.resource.is_none() {
                    let message = format!("{who} sends `{served}` to a backend with neither `service` nor `resource`, so the API server rejects it. `serviceName`/`servicePort` are the old extensions/v1beta1 fields: networking.k8s.io/v1 writes `service: {{name: ..., port: {{number: ...}}}}`.");
                    let to = ResourceRef::to_kind("Service", namespace, "");
                    sink.broken_edge(from.clone(), to, EdgeKind::Backend, served, (index, field), message);
                }
                continue;
            };
            let to = ResourceRef::to_kind("Service", namespace, &service.name);
            let port = service.port.as_ref();
            let wanted = match port {
                Some(p) => p.name.clone().or(p.number.map(|n| n.to_string())).unwrap_or_default(),
                None => String::new(),
            };
            let label = if wanted.is_empty() { served.clone() } else { format!("{served} -> {wanted}") };
            let at = |leaf: &[&str]| {
                let mut f = field.clone();
                f.0.push("service".into());
                f.0.extend(leaf.iter().map(|s| Segment::from(*s)));
                (index, f)
            };
            let Some((_, target)) = set.find("Service", namespace, &service.name) else {
                let names = set
                    .services()
                    .filter(|(i, _)| set.namespace_of(*i) == namespace)
                    .map(|(_, s)| s.metadata.name.as_deref().unwrap_or(""));
                let hint = crate::presets::suggest(&service.name, names)
                    .map(|n| format!(" Did you mean `{n}`?"))
                    .unwrap_or_default();
                let message = format!("{who} sends `{served}` to Service `{}`, but there is no such Service in namespace `{namespace}`: those requests get 503 Service Unavailable.{hint}", service.name);
                sink.broken_edge(from.clone(), to, EdgeKind::Backend, label, at(&["name"]), message);
                continue;
            };
            let Object::Service(target) = &target.object else { continue };
            let ports = target.spec.as_ref().and_then(|s| s.ports.as_deref()).unwrap_or(&[]);
            if backend_port(ports, port).is_some() || (port.is_none() && ports.is_empty()) {
                sink.edge(from.clone(), to, EdgeKind::Backend, label);
                continue;
            }
            let listed: Vec<String> = ports
                .iter()
                .map(|p| match &p.name {
                    Some(name) => format!("{name}={}", p.port),
                    None => p.port.to_string(),
                })
                .collect();
            let listed = if listed.is_empty() { "no ports".to_string() } else { listed.join(", ") };
            let leaf = if port.is_some_and(|p| p.name.is_some()) { "name" } else { "number" };
            let message = format!("{who} sends `{served}` to port `{wanted}` of Service `{}`, which has {listed}: those requests get 503 Service Unavailable. An Ingress names the Service's port, not the container's.", service.name);
            sink.broken_edge(from.clone(), to, EdgeKind::Backend, label, at(&["port", leaf]), message);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::manifests;

    const RULE: &str = "ingress-backend-unresolved";

    fn set(backend: &str) -> String {
        format!("apiVersion: v1\nkind: Service\nmetadata: {{name: web}}\nspec:\n  selector: {{app: web}}\n  ports: [{{name: http, port: 80}}]\n---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {{name: web}}\nspec:\n  rules:\n    - host: shop.example\n      http:\n        paths:\n          - path: /\n            pathType: Prefix\n            backend: {{service: {backend}}}\n")
    }

    #[test]
    fn a_service_port_by_number_or_name_is_a_backend() {
        for backend in ["{name: web, port: {number: 80}}", "{name: web, port: {name: http}}"] {
            let sink = manifests(RULE, &set(backend));
            assert!(sink.findings.is_empty(), "{backend}: {:?}", sink.findings);
            assert_eq!(
                sink.edges.get(0).label,
                format!("shop.example/ -> {}", if backend.contains("80") { "80" } else { "http" })
            );
        }
    }

    #[test]
    fn a_backend_in_the_old_shape_names_no_service() {
        let sink = manifests(
            RULE,
            &set("{}").replace("backend: {service: {}}", "backend: {serviceName: web, servicePort: 80}"),
        );
        assert_eq!(sink.findings[0].field.to_string(), "spec.rules[0].http.paths[0].backend");
        assert!(sink.findings[0].message.contains("extensions/v1beta1"), "{}", sink.findings[0].message);
    }

    #[test]
    fn a_missing_service_or_port_is_broken_there() {
        let missing = manifests(RULE, &set("{name: webb, port: {number: 80}}"));
        assert_eq!(missing.findings[0].field.to_string(), "spec.rules[0].http.paths[0].backend.service.name");
        assert!(missing.findings[0].message.contains("Did you mean `web`?"), "{}", missing.findings[0].message);
        let port = manifests(RULE, &set("{name: web, port: {number: 8080}}"));
        assert_eq!(port.findings[0].field.to_string(), "spec.rules[0].http.paths[0].backend.service.port.number");
        assert!(port.findings[0].message.contains("http=80"), "{}", port.findings[0].message);
    }
}
