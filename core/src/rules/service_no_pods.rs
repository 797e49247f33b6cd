//! service-selects-nothing: a Service's selector must match the pods of a workload in its namespace.

use super::workloads::selected_workloads;
use super::{Category, Check, EdgeKind, Rule};
use crate::diagnostic::Severity::*;
use crate::manifest::service_selector;
use crate::manifest::workload::{labels_text, map_selects};
use crate::path::field_path;

pub const RULE: Rule = Rule {
    id: "service-selects-nothing",
    summary: "A Service whose selector matches no workload's pods has no endpoints, so every connection to it fails.",
    help: "Make the Service's selector match the pod template labels of the workload it fronts.",
    category: Category::Relationship,
    minikube: Some(Error),
    production: Some(Error),
    check: Check::Manifests(check),
};

fn check(set: &crate::ManifestSet, sink: &mut super::ManifestSink) {
    for (index, service) in set.services() {
        // Without a selector the endpoints are managed by hand (an external database, say).
        let Some(selector) = service_selector(service) else {
            continue;
        };
        let Some(from) = set.reference(index) else { continue };
        let name = from.name.as_str();
        let selected = selected_workloads(set, index);
        for w in &selected {
            sink.edge(from.clone(), w.pods_ref(set), EdgeKind::Selects, "selects");
        }
        if !selected.is_empty() {
            continue;
        }
        let namespace = set.namespace_of(index);
        let wanted = labels_text(selector);
        let mut field = field_path!("spec", "selector");
        let mut message = format!("Service `{name}` selects pods labelled `{wanted}`, but no workload in namespace `{namespace}` makes such pods, so the Service has no endpoints.");
        // Explain with the workload that comes closest: most selector labels met, and the
        // Service's own name winning ties (a Service usually shares its workload's name).
        let closest = set
            .workloads()
            .filter(|w| set.namespace_of(w.resource) == namespace)
            .map(|w| {
                let labels = w.pod_labels();
                let met = selector.iter().filter(|(k, v)| labels.and_then(|l| l.get(*k)) == Some(*v)).count();
                (met, w.name() == name, w)
            })
            .max_by_key(|(met, same_name, _)| (*met, *same_name));
        if let Some((_, _, w)) = closest {
            let labels = w.pod_labels();
            if let Some((key, value)) = selector.iter().find(|(k, v)| labels.and_then(|l| l.get(*k)) != Some(*v)) {
                let has = match labels.and_then(|l| l.get(key)) {
                    Some(actual) => format!("`{key}={actual}`"),
                    None => format!("no `{key}` label"),
                };
                message.push_str(&format!(
                    " The closest is {}: the Service wants `{key}={value}`, its pods have {has}.",
                    w.who()
                ));
                field = field.key(key);
            }
        }
        if let Some(w) =
            set.workloads().find(|w| set.namespace_of(w.resource) != namespace && map_selects(selector, w.pod_labels()))
        {
            let other = set.namespace_of(w.resource);
            message.push_str(&format!(
                " {} in namespace `{other}` matches, but a Service only selects pods of its own namespace.",
                w.who()
            ));
        }
        let missing = crate::manifest::workload::pods_ref(namespace, &wanted);
        sink.broken_edge(from, missing, EdgeKind::Selects, "selects", (index, field), message);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{manifests, rendered, run_on};

    const RULE: &str = "service-selects-nothing";

    const DEPLOYMENT: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web, tier: front}\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n";

    fn service(selector: &str) -> String {
        format!("apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {selector}\n  ports:\n    - port: 80\n---\n{DEPLOYMENT}")
    }

    #[test]
    fn the_default_render_selects_each_components_pods() {
        let sink = rendered(RULE, "{}");
        assert!(sink.findings.is_empty(), "{:?}", sink.findings);
        let edges: Vec<(String, String)> = sink.edges.iter().map(|e| (e.from.to_string(), e.to.to_string())).collect();
        let expected = [
            ("todo-chatbot/Service/todo-backend", "todo-chatbot/Pods/todo-backend"),
            ("todo-chatbot/Service/todo-frontend", "todo-chatbot/Pods/todo-frontend"),
        ];
        assert_eq!(edges, expected.map(|(a, b)| (a.to_string(), b.to_string())));
    }

    #[test]
    fn a_selector_matching_no_pods_breaks_an_edge_to_a_missing_node() {
        let sink = manifests(RULE, &service("{app: webapp}"));
        assert_eq!(sink.findings.len(), 1);
        assert_eq!(sink.findings[0].field.to_string(), "spec.selector.app");
        let message = &sink.findings[0].message;
        assert!(message.contains("closest is Deployment `web`") && message.contains("`app=web`"), "{message}");
        assert_eq!(sink.edges.len(), 1);
        assert_eq!(sink.edges.get(0).to, "default/Pods/app=webapp");
        assert!(sink.edges.get(0).broken.is_some());
    }

    #[test]
    fn a_subset_of_the_pod_labels_selects_them() {
        let sink = manifests(RULE, &service("{app: web}"));
        assert!(sink.findings.is_empty());
        assert_eq!(sink.edges.get(0).to, "default/Pods/web");
        assert!(sink.edges.get(0).broken.is_none());
    }

    #[test]
    fn pods_of_another_namespace_are_not_selected() {
        let yaml = format!("apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: a\nspec:\n  selector: {{app: web}}\n  ports:\n    - port: 80\n---\n{}", DEPLOYMENT.replace("name: web\nspec", "name: web\n  namespace: b\nspec"));
        let sink = manifests(RULE, &yaml);
        assert_eq!(sink.findings.len(), 1);
        assert!(sink.findings[0].message.contains("namespace `b` matches"), "{}", sink.findings[0].message);
    }

    #[test]
    fn services_without_a_selector_are_skipped() {
        let sink = manifests(
            RULE,
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  ports:\n    - port: 5432\n",
        );
        assert!(sink.findings.is_empty() && sink.edges.is_empty());
    }

    /// The default preset's render is the reference: none of the relationship rules may find
    /// anything in it (each rule's own tests cover its edges).
    #[test]
    fn the_default_render_has_no_relationship_findings() {
        let set = crate::render::render(&crate::rules::testing::values("{}"), "todo-chatbot");
        for rule in [
            "selector-mismatch",
            "service-selects-nothing",
            "target-port-unresolved",
            "env-ref-missing-object",
            "env-ref-missing-key",
            "probe-port-unresolved",
            "url-service-unresolved",
            "secret-invalid-base64",
            "secret-in-plain-text",
        ] {
            let sink = run_on(rule, &set);
            assert!(sink.findings.is_empty(), "{rule}: {:?}", sink.findings);
            assert!(sink.edges.iter().all(|e| e.broken.is_none()), "{rule}: {:?}", sink.edges);
        }
    }
}
