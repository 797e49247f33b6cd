//! single-replica: a Deployment that runs one pod, so every rollout or node drain is downtime.

use super::{Category, Check, Rule};
use crate::diagnostic::Severity::*;
use crate::manifest::Object;
use crate::path::field_path;
use crate::ManifestSet;

pub const RULE: Rule = Rule {
    id: "single-replica",
    summary: "One replica means downtime on every rollout, node drain or crash.",
    help: "Run at least 2 replicas in production (with an autoscaler: minReplicas of at least 2).",
    category: Category::BestPractice,
    minikube: None,
    production: Some(Warning),
    check: Check::Manifests(check),
};

fn check(set: &ManifestSet, sink: &mut super::ManifestSink) {
    let default_namespace = set.default_namespace();
    for (i, deployment) in set.deployments() {
        let Some(spec) = &deployment.spec else {
            continue;
        };
        let name = deployment.metadata.name.as_deref().unwrap_or("");
        let namespace = set.resources[i].namespace(default_namespace);
        // With an autoscaler the Deployment's replicas are the autoscaler's to set (leaving them
        // out is the recommended way), so its minReplicas is what counts, and where to fix it.
        if let Some((hpa, min_replicas)) = autoscaler(set, namespace, name) {
            if min_replicas == 1 {
                sink.report(
                    hpa,
                    field_path!("spec", "minReplicas"),
                    format!(
                        "{} lets Deployment `{name}` scale down to 1 replica (minReplicas defaults to 1).",
                        set.resources[hpa].object.id()
                    ),
                );
            }
            continue;
        }
        // Zero is a deliberate scale-down, not a single point of failure.
        let message = match spec.replicas {
            Some(1) => format!("Deployment `{name}` runs 1 replica (replicas: 1)."),
            None => format!("Deployment `{name}` sets no replicas, so it runs 1."),
            Some(_) => continue,
        };
        sink.report(i, field_path!("spec", "replicas"), message);
    }
}

/// A HorizontalPodAutoscaler (any version: kubeplay keeps them as-is) scaling this Deployment,
/// with its minReplicas.
fn autoscaler(set: &ManifestSet, namespace: &str, deployment: &str) -> Option<(usize, i64)> {
    let default_namespace = set.default_namespace();
    set.iter().find_map(|(i, resource)| {
        let (Object::Other { kind, .. }, Some(raw)) = (&resource.object, resource.written()) else {
            return None;
        };
        if kind != "HorizontalPodAutoscaler" || resource.namespace(default_namespace) != namespace {
            return None;
        }
        let target = raw.pointer("/spec/scaleTargetRef")?;
        let targets_it = target.get("kind").and_then(|k| k.as_str()) == Some("Deployment")
            && target.get("name").and_then(|n| n.as_str()) == Some(deployment);
        let min_replicas = raw.pointer("/spec/minReplicas").and_then(|m| m.as_i64()).unwrap_or(1);
        targets_it.then_some((i, min_replicas))
    })
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{manifests, rendered};

    fn found(sink: &crate::rules::ManifestSink) -> Vec<(usize, String)> {
        sink.findings.iter().map(|f| (f.resource, f.field.to_string())).collect()
    }

    const DEPLOYMENT: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: web, image: \"nginx:1.27\"}]\n";

    #[test]
    fn one_or_unset_replicas_is_reported() {
        let sink = rendered("single-replica", "components:\n  todo-frontend:\n    replicas: 3\n");
        assert_eq!(found(&sink), [(5, "spec.replicas".to_string())]);
        assert!(sink.findings[0].message.contains("`todo-backend` runs 1 replica"), "{}", sink.findings[0].message);
        let sink = manifests("single-replica", DEPLOYMENT);
        assert_eq!(found(&sink), [(0, "spec.replicas".to_string())]);
        assert!(sink.findings[0].message.contains("sets no replicas"));
    }

    #[test]
    fn an_autoscaler_decides_instead() {
        let hpa = |min: &str| {
            format!("{DEPLOYMENT}---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {{name: web}}\nspec:\n  scaleTargetRef: {{apiVersion: apps/v1, kind: Deployment, name: web}}\n{min}  maxReplicas: 5\n")
        };
        assert!(manifests("single-replica", &hpa("  minReplicas: 2\n")).findings.is_empty());
        assert_eq!(found(&manifests("single-replica", &hpa(""))), [(1, "spec.minReplicas".to_string())]);
    }

    #[test]
    fn two_or_zero_replicas_pass() {
        assert!(rendered(
            "single-replica",
            "components:\n  todo-backend: {replicas: 2}\n  todo-frontend: {replicas: 0}\n"
        )
        .findings
        .is_empty());
    }
}
