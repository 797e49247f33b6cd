//! hpa-target-missing: a HorizontalPodAutoscaler must scale a workload that exists in its namespace.

use super::{Category, Check, EdgeKind, ManifestSink, Rule};
use crate::diagnostic::Severity::*;
use crate::manifest::{ManifestSet, Object};
use crate::path::field_path;
use crate::resource::ResourceRef;

pub const RULE: Rule = Rule {
    id: "hpa-target-missing",
    summary: "A HorizontalPodAutoscaler's scaleTargetRef must name a workload in its namespace, or it scales nothing.",
    help: "Point scaleTargetRef (apiVersion, kind, name) at the Deployment or StatefulSet to scale.",
    category: Category::Relationship,
    minikube: Some(Error),
    production: Some(Error),
    check: Check::Manifests(check),
};

/// The HorizontalPodAutoscalers of the set: (index, its reference, the target's reference).
pub(crate) fn targets(set: &ManifestSet) -> impl Iterator<Item = (usize, ResourceRef, ResourceRef)> + '_ {
    set.iter().filter_map(move |(index, r)| {
        let Object::HorizontalPodAutoscaler(hpa) = &r.object else { return None };
        let target = &hpa.spec.as_ref()?.scale_target_ref;
        let namespace = set.namespace_of(index);
        let group = target.api_version.as_deref().map_or("", crate::resource::api_group);
        let to = ResourceRef::new(group, &target.kind, namespace, &target.name);
        Some((index, set.reference(index)?, to))
    })
}

fn check(set: &ManifestSet, sink: &mut ManifestSink) {
    for (index, from, to) in targets(set) {
        if set.find(&to.kind, &to.namespace, &to.name).is_some() {
            sink.edge(from, to, EdgeKind::Scales, "scales");
            continue;
        }
        let message = format!(
            "HorizontalPodAutoscaler `{}` scales {} `{}`, which is not in namespace `{}`: it scales nothing and reports FailedGetScale.",
            from.name, to.kind, to.name, to.namespace
        );
        sink.broken_edge(
            from,
            to,
            EdgeKind::Scales,
            "scales",
            (index, field_path!("spec", "scaleTargetRef", "name")),
            message,
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::manifests;

    const RULE: &str = "hpa-target-missing";

    fn set(target: &str) -> String {
        format!("apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: web}}\nspec:\n  selector: {{matchLabels: {{app: web}}}}\n  template:\n    metadata: {{labels: {{app: web}}}}\n    spec: {{containers: [{{name: web, image: \"web:1\"}}]}}\n---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {{name: web}}\nspec:\n  scaleTargetRef: {{apiVersion: apps/v1, kind: Deployment, name: {target}}}\n  minReplicas: 2\n  maxReplicas: 5\n")
    }

    #[test]
    fn an_existing_target_is_scaled() {
        let sink = manifests(RULE, &set("web"));
        assert!(sink.findings.is_empty());
        assert_eq!(sink.edges.get(0).to.to_string(), "default/Deployment/web");
    }

    #[test]
    fn a_missing_target_is_broken_at_its_name() {
        let sink = manifests(RULE, &set("api"));
        assert_eq!(sink.findings[0].field.to_string(), "spec.scaleTargetRef.name");
        assert!(sink.findings[0].message.contains("Deployment `api`"));
    }
}
