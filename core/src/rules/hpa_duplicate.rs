//! hpa-duplicate-target: two HorizontalPodAutoscalers must not scale the same workload.

use super::hpa_target::targets;
use super::{Category, Check, ManifestSink, Rule};
use crate::diagnostic::Severity::*;
use crate::manifest::ManifestSet;
use crate::path::field_path;

pub const RULE: Rule = Rule {
    id: "hpa-duplicate-target",
    summary: "Two HorizontalPodAutoscalers scaling one workload fight over its replicas, each undoing the other's decision.",
    help: "Keep one HorizontalPodAutoscaler per workload (put all metrics in it), or fix the scaleTargetRef that names the wrong one.",
    category: Category::Relationship,
    minikube: Some(Error),
    production: Some(Error),
    check: Check::Manifests(check),
};

fn check(set: &ManifestSet, sink: &mut ManifestSink) {
    let mut first: hashbrown::HashMap<crate::resource::ResourceRef, String> = Default::default();
    for (index, from, to) in targets(set) {
        let (kind, name) = (to.kind.clone(), to.name.clone());
        match first.get(&to) {
            Some(other) => {
                let message = format!("HorizontalPodAutoscaler `{}` scales {kind} `{name}`, which HorizontalPodAutoscaler `{other}` already scales: the two fight over its replicas (HPA `{}` targets `{name}`).", from.name, from.name);
                sink.report(index, field_path!("spec", "scaleTargetRef", "name"), message);
            }
            None => {
                first.insert(to, from.name);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::manifests;

    const RULE: &str = "hpa-duplicate-target";

    fn hpa(name: &str, target: &str) -> String {
        format!("apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {{name: {name}}}\nspec:\n  scaleTargetRef: {{apiVersion: apps/v1, kind: Deployment, name: {target}}}\n  maxReplicas: 5\n")
    }

    #[test]
    fn one_autoscaler_per_target_passes() {
        assert!(manifests(RULE, &format!("{}---\n{}", hpa("frontend", "frontend"), hpa("backend", "backend")))
            .findings
            .is_empty());
    }

    #[test]
    fn a_second_autoscaler_of_one_target_is_reported() {
        let sink = manifests(RULE, &format!("{}---\n{}", hpa("backend", "backend"), hpa("frontend", "backend")));
        assert_eq!(sink.findings.len(), 1);
        assert_eq!(sink.findings[0].resource, 1);
        assert!(sink.findings[0].message.contains("`backend` already scales"), "{}", sink.findings[0].message);
    }
}
