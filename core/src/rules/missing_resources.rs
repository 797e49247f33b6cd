//! missing-resources: a container without cpu and memory requests and limits.

use super::{Category, Check, Rule};
use crate::diagnostic::Severity::*;

pub const RULE: Rule = Rule {
    id: "missing-resources",
    summary: "A container without CPU and memory requests and limits can starve its neighbours and is evicted first.",
    help: "Set resources.requests and resources.limits for cpu and memory, e.g. requests {cpu: 100m, memory: 128Mi}, limits {cpu: 500m, memory: 512Mi}.",
    category: Category::BestPractice,
    minikube: Some(Info),
    production: Some(Warning),
    check: Check::Manifests(check),
};

fn check(set: &crate::ManifestSet, sink: &mut super::ManifestSink) {
    for c in crate::manifest::workload::containers(set) {
        let resources = c.container.resources.as_ref();
        let mut missing = Vec::new();
        for (list_name, list) in [
            ("requests", resources.and_then(|r| r.requests.as_ref())),
            ("limits", resources.and_then(|r| r.limits.as_ref())),
        ] {
            for resource in ["cpu", "memory"] {
                if !list.is_some_and(|l| l.contains_key(resource)) {
                    missing.push(format!("{list_name}.{resource}"));
                }
            }
        }
        if missing.is_empty() {
            continue;
        }
        // Point at the deepest field shared by everything missing: the one key when a single
        // one is missing, `resources.requests` when both requests are, `resources` otherwise.
        let shared = if missing.len() == 1 {
            missing[0].as_str()
        } else if missing.len() == 2 && missing.iter().all(|m| m.starts_with("requests.")) {
            "requests"
        } else if missing.len() == 2 && missing.iter().all(|m| m.starts_with("limits.")) {
            "limits"
        } else {
            ""
        };
        let field = if shared.is_empty() { c.at("resources") } else { c.at(&format!("resources.{shared}")) };
        let list = missing.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(", ");
        sink.report(c.resource(), field, format!("{} sets no {list}.", c.who()));
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{manifests, rendered};

    fn fields(sink: &crate::rules::ManifestSink) -> Vec<String> {
        sink.findings.iter().map(|f| f.field.to_string()).collect()
    }

    #[test]
    fn one_finding_per_container_pointing_at_what_is_missing() {
        let sink = rendered(
            "missing-resources",
            "components:\n  todo-backend:\n    resources: {limits: null}\n  todo-frontend:\n    resources: {requests: {memory: null}}\n",
        );
        assert_eq!(
            fields(&sink),
            [
                "spec.template.spec.containers[0].resources.limits",
                "spec.template.spec.containers[0].resources.requests.memory"
            ]
        );
        assert!(sink.findings[0].message.contains("`limits.cpu`, `limits.memory`"), "{}", sink.findings[0].message);
        assert!(sink.findings[1].message.contains("`todo-frontend`"), "{}", sink.findings[1].message);
    }

    #[test]
    fn no_resources_at_all_points_at_resources() {
        let yaml = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n        - {name: web, image: \"nginx:1.27\"}\n";
        let sink = manifests("missing-resources", yaml);
        assert_eq!(fields(&sink), ["spec.template.spec.containers[0].resources"]);
        assert!(sink.findings[0].message.contains("`requests.cpu`, `requests.memory`, `limits.cpu`, `limits.memory`"));
    }

    #[test]
    fn the_preset_sets_everything() {
        assert!(rendered("missing-resources", "").findings.is_empty());
    }
}
