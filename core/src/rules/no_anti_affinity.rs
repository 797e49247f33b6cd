//! no-anti-affinity: replicas of one workload should be spread over nodes, so one node failing does not take them all.

use super::{Category, Check, Rule};
use crate::diagnostic::Severity::*;
use crate::manifest::workload::{label_selector_selects, Workload};
use k8s_openapi::api::core::v1::PodAffinityTerm;

pub const RULE: Rule = Rule {
    id: "no-anti-affinity",
    summary: "Several replicas with no pod anti-affinity may all land on one node, and that node's failure takes them all down.",
    help: "Add a podAntiAffinity term (preferred is enough) with topologyKey kubernetes.io/hostname selecting the workload's own pods, or use topologySpreadConstraints.",
    category: Category::BestPractice,
    minikube: None,
    production: Some(Warning),
    check: Check::Manifests(check),
};

/// Whether a term keeps this workload's pods apart: it selects them, in their namespace.
fn spreads(term: &PodAffinityTerm, w: &Workload, namespace: &str) -> bool {
    let namespaces = term.namespaces.as_deref().unwrap_or(&[]);
    let in_namespace = namespaces.is_empty() || namespaces.iter().any(|n| n == namespace);
    let selects = term.label_selector.as_ref().is_some_and(|s| label_selector_selects(s, w.pod_labels()));
    in_namespace && selects
}

fn check(set: &crate::ManifestSet, sink: &mut super::ManifestSink) {
    for w in set.workloads() {
        let replicas = w.replicas.unwrap_or(1);
        if !w.kind.keeps_replicas() || replicas < 2 {
            continue;
        }
        let spec = w.pod_spec;
        if spec.and_then(|s| s.topology_spread_constraints.as_ref()).is_some_and(|c| !c.is_empty()) {
            continue;
        }
        let namespace = set.namespace_of(w.resource);
        let anti = spec.and_then(|s| s.affinity.as_ref()).and_then(|a| a.pod_anti_affinity.as_ref());
        let required =
            anti.and_then(|a| a.required_during_scheduling_ignored_during_execution.as_deref()).unwrap_or(&[]);
        let preferred =
            anti.and_then(|a| a.preferred_during_scheduling_ignored_during_execution.as_deref()).unwrap_or(&[]);
        let spread = required.iter().any(|t| spreads(t, &w, namespace))
            || preferred.iter().any(|p| spreads(&p.pod_affinity_term, &w, namespace));
        if !spread {
            let message = format!("{} runs {replicas} replicas with no pod anti-affinity that keeps them apart: the scheduler may put them all on one node.", w.who());
            sink.report(w.resource, w.pod_field(&["affinity".into()]), message);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::manifests;

    const RULE: &str = "no-anti-affinity";

    fn deployment(affinity: &str) -> String {
        format!("apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: web, namespace: foo}}\nspec:\n  replicas: 3\n  selector: {{matchLabels: {{app: web}}}}\n  template:\n    metadata: {{labels: {{app: web}}}}\n    spec:\n      {affinity}\n      containers: [{{name: web, image: \"web:1\"}}]\n")
    }

    const TERM: &str = "affinity: {podAntiAffinity: {requiredDuringSchedulingIgnoredDuringExecution: [{labelSelector: {matchLabels: {app: web}}, topologyKey: kubernetes.io/hostname";

    #[test]
    fn a_term_selecting_its_own_pods_spreads_them() {
        assert!(manifests(RULE, &deployment(&format!("{TERM}}}]}}}}"))).findings.is_empty());
        assert!(manifests(RULE, &deployment(&format!("{TERM}, namespaces: [foo]}}]}}}}"))).findings.is_empty());
    }

    #[test]
    fn no_term_or_one_for_another_namespace_is_reported() {
        assert_eq!(manifests(RULE, &deployment("hostname: web")).findings.len(), 1);
        let other = manifests(RULE, &deployment(&format!("{TERM}, namespaces: [bar]}}]}}}}")));
        assert_eq!(other.findings[0].field.to_string(), "spec.template.spec.affinity");
    }
}
