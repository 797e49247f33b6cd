//! single-replica: a workload that runs one pod, so every rollout or node drain is downtime.

use super::{hpa_target, Category, Check, Rule};
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
    // The first autoscaler of each target.
    let mut autoscalers: hashbrown::HashMap<crate::resource::ResourceRef, (usize, crate::resource::ResourceRef)> =
        Default::default();
    for (i, hpa, target) in hpa_target::targets(set) {
        autoscalers.entry(target).or_insert((i, hpa));
    }
    for w in set.workloads() {
        let Some(me) = set.reference(w.resource).filter(|_| w.kind.keeps_replicas()) else { continue };
        if let Object::Deployment(d) = w.object {
            if d.spec.is_none() {
                continue;
            }
        }
        // With an autoscaler the replicas are the autoscaler's to set (leaving them out is the
        // recommended way), so its minReplicas is what counts, and where to fix it.
        if let Some(&(hpa, ref hpa_ref)) = autoscalers.get(&me) {
            let Object::HorizontalPodAutoscaler(autoscaler) = &set.resources[hpa].object else { continue };
            let min_replicas = autoscaler.spec.as_ref().and_then(|s| s.min_replicas).unwrap_or(1);
            if min_replicas == 1 {
                sink.report(
                    hpa,
                    field_path!("spec", "minReplicas"),
                    format!(
                        "HorizontalPodAutoscaler `{}` lets {} scale down to 1 replica (minReplicas defaults to 1).",
                        hpa_ref.name,
                        w.who()
                    ),
                );
            }
            continue;
        }
        // Zero is a deliberate scale-down, not a single point of failure.
        let message = match w.replicas {
            Some(1) => format!("{} runs 1 replica (replicas: 1).", w.who()),
            None => format!("{} sets no replicas, so it runs 1.", w.who()),
            Some(_) => continue,
        };
        sink.report(w.resource, field_path!("spec", "replicas"), message);
    }
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
