//! statefulset-service-missing: a StatefulSet's `serviceName` must be a headless Service that selects its pods.

use super::workloads::selected_workloads;
use super::{Category, Check, EdgeKind, ManifestSink, Rule};
use crate::diagnostic::Severity::*;
use crate::manifest::{ManifestSet, Object, WorkloadKind};
use crate::path::field_path;
use crate::resource::ResourceRef;

pub const RULE: Rule = Rule {
    id: "statefulset-service-missing",
    summary: "A StatefulSet's serviceName must be a headless Service (clusterIP: None) selecting its pods, or its pods get no stable DNS names (`db-0.db`).",
    help: "Create a Service with `clusterIP: None` named as `serviceName`, whose selector matches the pod template's labels.",
    category: Category::Relationship,
    minikube: Some(Error),
    production: Some(Error),
    check: Check::Manifests(check),
};

fn check(set: &ManifestSet, sink: &mut ManifestSink) {
    for w in set.workloads().filter(|w| w.kind == WorkloadKind::StatefulSet) {
        let Some(name) = w.controller().and_then(|c| c.service_name.as_deref()).filter(|n| !n.is_empty()) else {
            continue;
        };
        let namespace = set.namespace_of(w.resource);
        let Some(from) = set.reference(w.resource) else { continue };
        let to = ResourceRef::to_kind("Service", namespace, name);
        let at = (w.resource, field_path!("spec", "serviceName"));
        let Some((index, service)) = set.find("Service", namespace, name) else {
            let message = format!("{} names Service `{name}` as its serviceName, but there is no Service `{name}` in namespace `{namespace}`: its pods get no DNS names such as `{}-0.{name}`.", w.who(), w.name());
            sink.broken_edge(from, to, EdgeKind::Governs, "governs", at, message);
            continue;
        };
        let Object::Service(service) = &service.object else { continue };
        let headless = service.spec.as_ref().and_then(|s| s.cluster_ip.as_deref()) == Some("None");
        let selects = selected_workloads(set, index).iter().any(|s| s.resource == w.resource);
        let problem = match (headless, selects) {
            (true, true) => {
                sink.edge(from, to, EdgeKind::Governs, "governs");
                continue;
            }
            (false, _) => "is not headless (it needs `clusterIP: None`), so the pods get no DNS names of their own",
            (true, false) => "does not select its pods, so their DNS names resolve to nothing",
        };
        let message = format!("{} is governed by Service `{name}`, which {problem}.", w.who());
        sink.doubtful_edge(from, to, EdgeKind::Governs, "governs", at, message);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::manifests;

    const RULE: &str = "statefulset-service-missing";

    fn set(service: &str) -> String {
        format!("{service}---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata: {{name: db}}\nspec:\n  serviceName: db\n  selector: {{matchLabels: {{app: db}}}}\n  template:\n    metadata: {{labels: {{app: db}}}}\n    spec:\n      containers: [{{name: db, image: \"db:1\"}}]\n")
    }

    #[test]
    fn a_headless_service_selecting_the_pods_governs_them() {
        let sink = manifests(RULE, &set("apiVersion: v1\nkind: Service\nmetadata: {name: db}\nspec: {clusterIP: None, selector: {app: db}, ports: [{port: 5432}]}\n"));
        assert!(sink.findings.is_empty(), "{:?}", sink.findings);
        assert_eq!(sink.edges.len(), 1);
    }

    #[test]
    fn a_missing_or_non_headless_service_is_reported() {
        let missing = manifests(RULE, &set(""));
        assert_eq!(missing.findings[0].field.to_string(), "spec.serviceName");
        assert!(missing.findings[0].message.contains("`db-0.db`"), "{}", missing.findings[0].message);
        let not_headless = manifests(RULE, &set("apiVersion: v1\nkind: Service\nmetadata: {name: db}\nspec: {selector: {app: db}, ports: [{port: 5432}]}\n"));
        assert!(not_headless.findings[0].message.contains("not headless"));
        assert_eq!(not_headless.findings[0].at_most, Some(crate::Severity::Warning));
    }
}
