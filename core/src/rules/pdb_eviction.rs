//! pdb-blocks-eviction: a PodDisruptionBudget that allows no pod of what it protects to be
//! evicted makes every node drain wait forever.

use super::{Category, Check, ManifestSink, Rule};
use crate::diagnostic::Severity::*;
use crate::manifest::workload::PodLabelIndex;
use crate::manifest::{ManifestSet, Object, WorkloadKind};
use crate::path::field_path;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

pub const RULE: Rule = Rule {
    id: "pdb-blocks-eviction",
    summary: "A PodDisruptionBudget that lets no pod go (minAvailable as high as the replicas, or maxUnavailable 0) makes `kubectl drain` and node upgrades wait forever.",
    help: "Leave room for one pod: minAvailable below the replicas (or run more replicas), or maxUnavailable: 1.",
    category: Category::Relationship,
    minikube: Some(Warning),
    production: Some(Warning),
    check: Check::Manifests(check),
};

/// How many pods a workload keeps, when the kind says (a DaemonSet's count is the nodes', a
/// Job's the work's).
fn pod_count(kind: WorkloadKind, replicas: Option<i32>) -> Option<i64> {
    match kind {
        WorkloadKind::Deployment
        | WorkloadKind::StatefulSet
        | WorkloadKind::ReplicaSet
        | WorkloadKind::ReplicationController
        | WorkloadKind::DeploymentConfig => Some(i64::from(replicas.unwrap_or(1))),
        WorkloadKind::Pod => Some(1),
        WorkloadKind::DaemonSet | WorkloadKind::Job | WorkloadKind::CronJob => None,
    }
}

/// A budget's number as pods out of `total` (a percentage rounds up, as the disruption
/// controller rounds `minAvailable`; `maxUnavailable` rounds up too).
fn pods(value: &IntOrString, total: i64) -> Option<i64> {
    match value {
        IntOrString::Int(n) => Some(i64::from(*n)),
        IntOrString::String(s) => {
            let percent: i64 = s.strip_suffix('%')?.parse().ok()?;
            Some((percent * total + 99) / 100)
        }
    }
}

fn check(set: &ManifestSet, sink: &mut ManifestSink) {
    // An autoscaled workload counts its autoscaler's floor: the fewest pods it runs.
    let floors = crate::manifest::workload::autoscaled_floors(set);
    let by_labels = PodLabelIndex::new(set);
    for (index, resource) in set.iter() {
        let Object::PodDisruptionBudget(pdb) = &resource.object else { continue };
        let Some(spec) = pdb.spec.as_ref() else { continue };
        let Some(selector) = spec.selector.as_ref() else { continue };
        let selected = by_labels.selected(set.namespace_of(index), selector);
        if selected.is_empty() {
            continue;
        }
        // Every selected workload's count must be known to say the budget is too tight; an
        // autoscaled one counts its autoscaler's floor.
        let Some(total) = selected
            .iter()
            .map(|w| match floors.get(&w.resource) {
                Some(min) => Some(i64::from(*min)),
                None => pod_count(w.kind, w.replicas),
            })
            .sum::<Option<i64>>()
        else {
            continue;
        };
        let name = pdb.metadata.name.as_deref().unwrap_or_default();
        if let Some(min) = spec.min_available.as_ref().and_then(|v| pods(v, total)) {
            if total > 0 && min >= total {
                sink.report(
                    index,
                    field_path!("spec", "minAvailable"),
                    format!("PodDisruptionBudget `{name}` keeps {min} of the {total} pods it protects available, so not one may be evicted: `kubectl drain` and node upgrades wait forever."),
                );
            }
        } else if let Some(0) = spec.max_unavailable.as_ref().and_then(|v| pods(v, total)) {
            sink.report(
                index,
                field_path!("spec", "maxUnavailable"),
                format!("PodDisruptionBudget `{name}` lets 0 pods be unavailable, so not one may be evicted: `kubectl drain` and node upgrades wait forever."),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::manifests;

    const RULE: &str = "pdb-blocks-eviction";

    fn set(replicas: u32, budget: &str) -> String {
        format!("apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: web}}\nspec:\n  replicas: {replicas}\n  selector: {{matchLabels: {{app: web}}}}\n  template:\n    metadata: {{labels: {{app: web}}}}\n    spec: {{containers: [{{name: web, image: \"web:1\"}}]}}\n---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {{name: web}}\nspec:\n  {budget}\n  selector: {{matchLabels: {{app: web}}}}\n")
    }

    #[test]
    fn a_budget_with_room_for_one_eviction_passes() {
        for (replicas, budget) in [
            (2, "minAvailable: 1"),
            (3, "maxUnavailable: 1"),
            (4, "minAvailable: \"50%\""),
            (1, "maxUnavailable: \"10%\""),
        ] {
            assert!(manifests(RULE, &set(replicas, budget)).findings.is_empty(), "{replicas} {budget}");
        }
    }

    #[test]
    fn an_autoscaled_workload_counts_its_autoscalers_floor() {
        let hpa = |min: u32| {
            format!("\n---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {{name: web}}\nspec:\n  scaleTargetRef: {{apiVersion: apps/v1, kind: Deployment, name: web}}\n  minReplicas: {min}\n  maxReplicas: 5\n")
        };
        assert!(manifests(RULE, &(set(1, "minAvailable: 1") + &hpa(2))).findings.is_empty());
        assert_eq!(manifests(RULE, &(set(3, "minAvailable: 1") + &hpa(1))).findings.len(), 1);
    }

    #[test]
    fn a_budget_that_lets_no_pod_go_is_reported() {
        for (replicas, budget, field) in [
            (1, "minAvailable: 1", "spec.minAvailable"),
            (2, "minAvailable: \"100%\"", "spec.minAvailable"),
            (3, "maxUnavailable: 0", "spec.maxUnavailable"),
            (3, "maxUnavailable: \"0%\"", "spec.maxUnavailable"),
        ] {
            let sink = manifests(RULE, &set(replicas, budget));
            assert_eq!(sink.findings.len(), 1, "{replicas} {budget}");
            assert_eq!(sink.findings[0].field.to_string(), field);
        }
    }
}
