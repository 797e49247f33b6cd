//! pdb-selects-nothing: a PodDisruptionBudget's selector should match the pods of a workload in its namespace.

use super::{Category, Check, EdgeKind, ManifestSink, Rule};
use crate::diagnostic::Severity::*;
use crate::manifest::workload::{selector_text, PodLabelIndex};
use crate::manifest::{ManifestSet, Object};
use crate::path::field_path;

pub const RULE: Rule = Rule {
    id: "pdb-selects-nothing",
    summary: "A PodDisruptionBudget whose selector matches no workload's pods protects nothing during node drains.",
    help: "Make the budget's selector match the pod template labels of the workload it protects.",
    category: Category::Relationship,
    minikube: Some(Warning),
    production: Some(Warning),
    check: Check::Manifests(check),
};

fn check(set: &ManifestSet, sink: &mut ManifestSink) {
    let pods = PodLabelIndex::new(set);
    for (index, resource) in set.iter() {
        let Object::PodDisruptionBudget(pdb) = &resource.object else { continue };
        let Some(selector) = pdb.spec.as_ref().and_then(|s| s.selector.as_ref()) else { continue };
        let (Some(from), namespace) = (set.reference(index), set.namespace_of(index)) else { continue };
        let mut any = false;
        for w in pods.selected(namespace, selector) {
            any = true;
            sink.edge(from.clone(), w.pods_ref(set), EdgeKind::Protects, "protects");
        }
        if !any {
            let wanted = selector_text(selector);
            let message = format!("PodDisruptionBudget `{}` selects pods labelled `{wanted}`, but no workload in namespace `{namespace}` makes such pods: it protects nothing.", from.name);
            let to = crate::manifest::workload::pods_ref(namespace, &wanted);
            sink.broken_edge(
                from,
                to,
                EdgeKind::Protects,
                "protects",
                (index, field_path!("spec", "selector")),
                message,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::manifests;

    const RULE: &str = "pdb-selects-nothing";

    fn set(selector: &str) -> String {
        format!("apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: web}}\nspec:\n  selector: {{matchLabels: {{app: web}}}}\n  template:\n    metadata: {{labels: {{app: web}}}}\n    spec: {{containers: [{{name: web, image: \"web:1\"}}]}}\n---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {{name: web}}\nspec:\n  minAvailable: 1\n  selector: {selector}\n")
    }

    #[test]
    fn a_budget_selecting_pods_protects_them() {
        let sink = manifests(RULE, &set("{matchLabels: {app: web}}"));
        assert!(sink.findings.is_empty());
        assert_eq!(sink.edges.get(0).to.to_string(), "default/Pods/web");
    }

    #[test]
    fn a_budget_selecting_nothing_is_reported() {
        let sink = manifests(RULE, &set("{matchLabels: {app: api}}"));
        assert_eq!(sink.findings[0].field.to_string(), "spec.selector");
    }
}
