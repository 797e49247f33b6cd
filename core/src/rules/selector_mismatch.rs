//! selector-mismatch: a workload's selector must match its own pod template's labels.

use super::{Category, Check, EdgeKind, Rule};
use crate::diagnostic::Severity::*;
use crate::manifest::workload::labels_text;
use crate::manifest::WorkloadKind;
use crate::path::{field_path, FieldPath};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use std::collections::BTreeMap;

pub const RULE: Rule = Rule {
    id: "selector-mismatch",
    summary:
        "A workload's selector must match its pod template's labels, or it manages no pods (the API server rejects it).",
    help: "Make spec.selector.matchLabels a subset of spec.template.metadata.labels.",
    category: Category::Relationship,
    minikube: Some(Error),
    production: Some(Error),
    check: Check::Manifests(check),
};

fn check(set: &crate::ManifestSet, sink: &mut super::ManifestSink) {
    for w in set.workloads() {
        // A Pod is its own pod; a Job's selector is made by its controller.
        if w.kind == WorkloadKind::Pod {
            continue;
        }
        let (Some(from), to) = (set.reference(w.resource), w.pods_ref(set)) else { continue };
        let Some(selector) = w.selector else {
            // A ReplicationController without a selector takes its template's labels; other
            // kinds without one either make their own (Jobs) or have no spec to check.
            if w.kind.runs_to_completion() || w.kind.has_map_selector() {
                sink.edge(from, to, EdgeKind::Manages, "manages");
            }
            continue;
        };
        let empty = BTreeMap::new();
        let labels = w.pod_labels().unwrap_or(&empty);
        let failures = unmet_requirements(selector, labels, w.kind.has_map_selector());
        match failures.first() {
            None => sink.edge(from, to, EdgeKind::Manages, "manages"),
            Some((field, _)) => {
                let reasons: Vec<&str> = failures.iter().map(|(_, reason)| reason.as_str()).collect();
                let labels = if labels.is_empty() { "none".to_string() } else { format!("`{}`", labels_text(labels)) };
                let message = format!(
                    "the selector of {} does not match its pod template: {}. The template's labels are {labels}; the API server rejects a {} whose selector does not select its own pods.",
                    w.who(),
                    reasons.join("; "),
                    w.kind.as_str()
                );
                sink.broken_edge(from, to, EdgeKind::Manages, "manages", (w.resource, field.clone()), message);
            }
        }
    }
}

/// Each requirement of `selector` that `labels` do not meet: where it is written and why.
/// An empty selector is one: apps/v1 refuses it (it would select every pod of the namespace).
/// A map selector (`spec.selector: {app: web}`) is written without `matchLabels`.
fn unmet_requirements(
    selector: &LabelSelector,
    labels: &BTreeMap<String, String>,
    map_selector: bool,
) -> Vec<(FieldPath, String)> {
    let mut failures = Vec::new();
    let match_labels = selector.match_labels.as_ref().filter(|m| !m.is_empty());
    let expressions = selector.match_expressions.as_deref().unwrap_or(&[]);
    if match_labels.is_none() && expressions.is_empty() {
        failures.push((field_path!("spec", "selector"), "the selector is empty (give matchLabels)".to_string()));
        return failures;
    }
    for (key, value) in match_labels.into_iter().flatten() {
        let reason = match labels.get(key) {
            Some(actual) if actual == value => continue,
            Some(actual) => {
                format!("it wants `{key}={value}` but the template has `{key}={actual}`")
            }
            None => format!("it wants `{key}={value}` but the template has no `{key}` label"),
        };
        let field = if map_selector {
            field_path!("spec", "selector", key)
        } else {
            field_path!("spec", "selector", "matchLabels", key)
        };
        failures.push((field, reason));
    }
    for (i, expression) in expressions.iter().enumerate() {
        let key = &expression.key;
        let values = expression.values.as_deref().unwrap_or(&[]);
        let actual = labels.get(key);
        let listed = || format!("[{}]", values.join(", "));
        let reason = match (expression.operator.as_str(), actual) {
            ("In", Some(v)) if values.contains(v) => continue,
            ("In", Some(v)) => format!("`{key} In {}` but the template has `{key}={v}`", listed()),
            ("In", None) => format!("`{key} In {}` but the template has no `{key}` label", listed()),
            ("NotIn", Some(v)) if values.contains(v) => {
                format!("`{key} NotIn {}` but the template has `{key}={v}`", listed())
            }
            ("NotIn", _) => continue,
            ("Exists", Some(_)) => continue,
            ("Exists", None) => format!("`{key} Exists` but the template has no `{key}` label"),
            ("DoesNotExist", None) => continue,
            ("DoesNotExist", Some(v)) => {
                format!("`{key} DoesNotExist` but the template has `{key}={v}`")
            }
            (other, _) => {
                format!("operator `{other}` is not one of In, NotIn, Exists, DoesNotExist")
            }
        };
        failures.push((field_path!("spec", "selector", "matchExpressions", i), reason));
    }
    failures
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{manifests, rendered};

    const RULE: &str = "selector-mismatch";

    fn deployment(selector: &str) -> String {
        format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n{selector}\n  template:\n    metadata:\n      labels:\n        app: web\n        tier: front\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n"
        )
    }

    #[test]
    fn the_default_render_manages_its_pods() {
        let sink = rendered(RULE, "{}");
        assert!(sink.findings.is_empty(), "{:?}", sink.findings);
        assert_eq!(sink.edges.len(), 2);
        assert!(sink.edges.iter().all(|e| e.broken.is_none() && e.to.kind == "Pods"));
    }

    #[test]
    fn a_label_the_template_lacks_breaks_the_manages_edge_at_that_label() {
        let sink = manifests(RULE, &deployment("    matchLabels:\n      app: webapp"));
        assert_eq!(sink.findings.len(), 1);
        assert_eq!(sink.findings[0].field.to_string(), "spec.selector.matchLabels.app");
        assert!(sink.findings[0].message.contains("`app=webapp`"), "{}", sink.findings[0].message);
        assert_eq!(sink.edges.get(0).from, "default/Deployment/web");
        assert_eq!(sink.edges.get(0).to, "default/Pods/web");
        assert!(sink.edges.get(0).broken.is_some());
    }

    #[test]
    fn match_expressions_are_evaluated() {
        let ok = manifests(RULE, &deployment("    matchExpressions:\n      - {key: app, operator: In, values: [web, api]}\n      - {key: tier, operator: Exists}\n      - {key: canary, operator: DoesNotExist}\n      - {key: tier, operator: NotIn, values: [back]}"));
        assert!(ok.findings.is_empty(), "{:?}", ok.findings);
        assert!(ok.edges.get(0).broken.is_none());
        let bad = manifests(RULE, &deployment("    matchExpressions:\n      - {key: app, operator: In, values: [web]}\n      - {key: tier, operator: NotIn, values: [front]}"));
        assert_eq!(bad.findings.len(), 1);
        assert_eq!(bad.findings[0].field.to_string(), "spec.selector.matchExpressions[1]");
    }

    #[test]
    fn an_empty_selector_is_reported() {
        let sink = manifests(RULE, &deployment("    matchLabels: {}"));
        assert_eq!(sink.findings[0].field.to_string(), "spec.selector");
        assert!(sink.findings[0].message.contains("empty"));
    }
}
