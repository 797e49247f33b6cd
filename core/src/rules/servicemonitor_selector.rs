//! servicemonitor-selects-nothing: a Prometheus ServiceMonitor's selectors should match a Service of the set.

use super::{Category, Check, EdgeKind, ManifestSink, Rule};
use crate::diagnostic::Severity::*;
use crate::manifest::workload::{label_selector_selects, selector_text};
use crate::manifest::{ManifestSet, Object};
use crate::path::field_path;
use crate::resource::ResourceRef;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;

pub const RULE: Rule = Rule {
    id: "servicemonitor-selects-nothing",
    summary: "A ServiceMonitor (Prometheus operator) whose selectors match no Service scrapes nothing, so its metrics silently never arrive.",
    help: "Make spec.selector match the Service's own labels (not its pods'), and namespaceSelector name the Service's namespace.",
    category: Category::Relationship,
    minikube: Some(Warning),
    production: Some(Warning),
    check: Check::Manifests(check),
};

fn check(set: &ManifestSet, sink: &mut ManifestSink) {
    for (index, resource) in set.iter() {
        let Object::Other { kind, api_version, .. } = &resource.object else { continue };
        if kind != "ServiceMonitor" || crate::resource::api_group(api_version) != "monitoring.coreos.com" {
            continue;
        }
        let Some(json) = resource.written().map(crate::source::Node::to_json) else { continue };
        let Some(from) = set.reference(index) else { continue };
        let spec = json.get("spec");
        // Through the reader of written trees, which already reads every workload's selector.
        let selector: LabelSelector = resource
            .written()
            .and_then(|tree| tree.get("spec")?.get("selector"))
            .and_then(|s| crate::tracked::deserialize(s).ok())
            .unwrap_or_default();
        let namespaces = spec.and_then(|s| s.get("namespaceSelector"));
        let any = namespaces.and_then(|n| n.get("any")).and_then(|a| a.as_bool()) == Some(true);
        let names: Vec<&str> = namespaces
            .and_then(|n| n.get("matchNames"))
            .and_then(|m| m.as_array())
            .map(|m| m.iter().filter_map(|n| n.as_str()).collect())
            .unwrap_or_default();
        // Without a namespaceSelector the operator looks in the monitor's own namespace; like
        // kube-linter, any namespace of the set is accepted then, since the monitor is often
        // applied to the operator's namespace while the Service lives with its app.
        let in_scope = |ns: &str| any || names.is_empty() || names.contains(&ns);
        let matched: Vec<ResourceRef> = set
            .services()
            .filter(|(i, s)| {
                in_scope(set.namespace_of(*i)) && label_selector_selects(&selector, s.metadata.labels.as_ref())
            })
            .filter_map(|(i, _)| set.reference(i))
            .collect();
        if matched.is_empty() {
            let wanted = selector_text(&selector);
            let scope = if names.is_empty() {
                "any namespace of the set".to_string()
            } else {
                format!("namespace(s) {}", names.join(", "))
            };
            let message = format!("ServiceMonitor `{}` selects Services labelled `{wanted}` in {scope}, but no Service matches: it scrapes nothing.", from.name);
            let to = ResourceRef::new("", "Service", set.namespace_of(index), &wanted);
            sink.broken_edge(from, to, EdgeKind::Selects, "selects", (index, field_path!("spec", "selector")), message);
            continue;
        }
        for to in matched {
            sink.edge(from.clone(), to, EdgeKind::Selects, "selects");
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::manifests;

    const RULE: &str = "servicemonitor-selects-nothing";

    fn set(selector: &str) -> String {
        format!("apiVersion: v1\nkind: Service\nmetadata: {{name: web, namespace: shop, labels: {{app: web}}}}\nspec: {{ports: [{{port: 80}}]}}\n---\napiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {{name: web}}\nspec: {selector}\n")
    }

    #[test]
    fn a_monitor_matching_a_service_passes() {
        assert!(manifests(RULE, &set("{selector: {matchLabels: {app: web}}}")).findings.is_empty());
        assert!(manifests(RULE, &set("{namespaceSelector: {matchNames: [shop]}}")).findings.is_empty());
    }

    #[test]
    fn a_monitor_matching_nothing_is_reported() {
        assert_eq!(manifests(RULE, &set("{selector: {matchLabels: {app: api}}}")).findings.len(), 1);
        assert_eq!(
            manifests(RULE, &set("{selector: {matchLabels: {app: web}}, namespaceSelector: {matchNames: [other]}}"))
                .findings
                .len(),
            1
        );
    }
}
