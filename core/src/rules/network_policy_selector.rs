//! network-policy-selects-nothing: a NetworkPolicy's podSelector and its `from` pod selectors should match pods of the set.

use super::{Category, Check, EdgeKind, ManifestSink, Rule};
use crate::diagnostic::Severity::*;
use crate::manifest::workload::{pods_ref, selector_text, PodLabelIndex};
use crate::manifest::{ManifestSet, Object};
use crate::path::{FieldPath, Segment};
use crate::resource::ResourceRef;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;

pub const RULE: Rule = Rule {
    id: "network-policy-selects-nothing",
    summary: "A NetworkPolicy whose podSelector (or a `from` podSelector) matches no pods of its namespace does nothing for them: a typo leaves traffic open or blocked.",
    help: "Make the selector match the pod template labels of the workloads it is meant for.",
    category: Category::Relationship,
    minikube: Some(Warning),
    production: Some(Warning),
    check: Check::Manifests(check),
};

/// The pods nodes of the workloads in `namespace` that `selector` selects.
fn selected(set: &ManifestSet, pods: &PodLabelIndex, namespace: &str, selector: &LabelSelector) -> Vec<ResourceRef> {
    pods.selected(namespace, selector).iter().map(|w| w.pods_ref(set)).collect()
}

fn check(set: &ManifestSet, sink: &mut ManifestSink) {
    let pods = PodLabelIndex::new(set);
    for (index, resource) in set.iter() {
        let Object::NetworkPolicy(policy) = &resource.object else { continue };
        let Some(spec) = &policy.spec else { continue };
        let (Some(from), namespace) = (set.reference(index), set.namespace_of(index)) else { continue };
        let name = from.name.clone();
        let report = |sink: &mut ManifestSink,
                      selector: &LabelSelector,
                      field: FieldPath,
                      kind: EdgeKind,
                      what: &str| {
            let targets = selected(set, &pods, namespace, selector);
            if targets.is_empty() {
                let wanted = selector_text(selector);
                let message = format!("{what} of NetworkPolicy `{name}` selects pods labelled `{wanted}`, but no workload in namespace `{namespace}` makes such pods.");
                sink.broken_edge(
                    from.clone(),
                    pods_ref(namespace, &wanted),
                    kind,
                    kind.as_str(),
                    (index, field),
                    message,
                );
            }
            for to in targets {
                sink.edge(from.clone(), to, kind, kind.as_str());
            }
        };
        // An empty podSelector selects every pod of the namespace: nothing to miss.
        let all = |s: &LabelSelector| {
            s.match_labels.as_ref().is_none_or(|m| m.is_empty())
                && s.match_expressions.as_ref().is_none_or(|e| e.is_empty())
        };
        if let Some(pod_selector) = spec.pod_selector.as_ref().filter(|s| !all(s)) {
            report(
                sink,
                pod_selector,
                FieldPath(vec!["spec".into(), "podSelector".into()]),
                EdgeKind::Isolates,
                "the podSelector",
            );
        }
        for (i, rule) in spec.ingress.iter().flatten().enumerate() {
            for (j, peer) in rule.from.iter().flatten().enumerate() {
                // A peer with a namespaceSelector picks pods of other namespaces: not checkable here.
                let (Some(selector), None) = (&peer.pod_selector, &peer.namespace_selector) else { continue };
                if all(selector) {
                    continue;
                }
                let field: Vec<Segment> =
                    vec!["spec".into(), "ingress".into(), i.into(), "from".into(), j.into(), "podSelector".into()];
                report(sink, selector, FieldPath(field), EdgeKind::AllowsFrom, "a `from` podSelector");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::manifests;

    const RULE: &str = "network-policy-selects-nothing";

    fn set(pods: &str, from: &str) -> String {
        format!("apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: db}}\nspec:\n  selector: {{matchLabels: {{app: db}}}}\n  template:\n    metadata: {{labels: {{app: db}}}}\n    spec: {{containers: [{{name: db, image: \"db:1\"}}]}}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: api}}\nspec:\n  selector: {{matchLabels: {{app: api}}}}\n  template:\n    metadata: {{labels: {{app: api}}}}\n    spec: {{containers: [{{name: api, image: \"api:1\"}}]}}\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {{name: db}}\nspec:\n  podSelector: {{matchLabels: {{app: {pods}}}}}\n  ingress: [{{from: [{{podSelector: {{matchLabels: {{app: {from}}}}}}}]}}]\n")
    }

    #[test]
    fn selectors_matching_pods_draw_edges() {
        let sink = manifests(RULE, &set("db", "api"));
        assert!(sink.findings.is_empty(), "{:?}", sink.findings);
        let edges: Vec<(String, String)> = sink.edges.iter().map(|e| (e.to.to_string(), e.label)).collect();
        assert_eq!(
            edges,
            [
                ("default/Pods/db".to_string(), "isolates".to_string()),
                ("default/Pods/api".to_string(), "allows from".to_string())
            ]
        );
    }

    #[test]
    fn selectors_matching_nothing_are_reported_where_written() {
        let sink = manifests(RULE, &set("dbb", "apii"));
        let fields: Vec<String> = sink.findings.iter().map(|f| f.field.to_string()).collect();
        assert_eq!(fields, ["spec.podSelector", "spec.ingress[0].from[0].podSelector"]);
    }
}
