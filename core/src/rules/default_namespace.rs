//! default-namespace: namespaced resources that end up in the `default` namespace.

use super::{Category, Check, Rule};
use crate::diagnostic::Severity::*;
use crate::manifest::Object;
use crate::path::field_path;

pub const RULE: Rule = Rule {
    id: "default-namespace",
    summary: "Resources in the `default` namespace mix with everything else and are hard to clean up.",
    help: "Use a namespace of the app's own (set `namespace`, or metadata.namespace plus a Namespace manifest).",
    category: Category::BestPractice,
    minikube: Some(Warning),
    production: Some(Warning),
    check: Check::Manifests(check),
};

/// Kinds that live outside namespaces, among those a learner may bring along as-is.
const CLUSTER_SCOPED: &[&str] = &[
    "Namespace",
    "Node",
    "PersistentVolume",
    "StorageClass",
    "ClusterRole",
    "ClusterRoleBinding",
    "CustomResourceDefinition",
    "IngressClass",
    "PriorityClass",
    "RuntimeClass",
    "APIService",
    "CSIDriver",
    "CSINode",
    "VolumeAttachment",
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
    "ValidatingAdmissionPolicy",
    "ValidatingAdmissionPolicyBinding",
    "ClusterIssuer",
];

fn check(set: &crate::ManifestSet, sink: &mut super::ManifestSink) {
    let default_namespace = set.default_namespace();
    for (i, resource) in set.iter() {
        if let Object::Other { kind, .. } = &resource.object {
            if CLUSTER_SCOPED.contains(&kind.as_str()) {
                continue;
            }
        }
        if matches!(resource.object, Object::Namespace(_)) {
            continue;
        }
        let id = resource.object.id();
        let message = match resource.object.metadata().namespace.as_deref() {
            Some("default") => format!("{id} sets namespace `default`."),
            // An unset namespace only means `default` when the set brings no Namespace of its own
            // (kubectl would then apply it to the current context's namespace, usually `default`).
            None if resource.namespace(default_namespace) == "default" => {
                format!(
                    "{id} sets no namespace, so it lands in `default` (or whatever namespace kubectl's context uses)."
                )
            }
            _ => continue,
        };
        sink.report(i, field_path!("metadata", "namespace"), message);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{manifests, rendered};
    use crate::rules::Profile;

    fn found(sink: &crate::rules::ManifestSink) -> Vec<(usize, String)> {
        sink.findings.iter().map(|f| (f.resource, f.field.to_string())).collect()
    }

    #[test]
    fn explicit_or_implied_default_is_reported() {
        let sink = rendered("default-namespace", "namespace: default\n");
        // Everything but the Namespace itself (index 0).
        let expected: Vec<(usize, String)> = (1..7).map(|i| (i, "metadata.namespace".to_string())).collect();
        assert_eq!(found(&sink), expected);
        let yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: reader}\n";
        let sink = manifests("default-namespace", yaml);
        assert_eq!(found(&sink), [(0, "metadata.namespace".to_string())]);
        assert!(
            sink.findings[0].message.starts_with("ConfigMap/settings sets no namespace"),
            "{}",
            sink.findings[0].message
        );
    }

    #[test]
    fn an_own_namespace_passes() {
        assert!(rendered("default-namespace", "").findings.is_empty());
        // Unset namespaces go to the set's only Namespace.
        let yaml = "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\n";
        assert!(manifests("default-namespace", yaml).findings.is_empty());
    }

    #[test]
    fn severity_follows_the_profile() {
        let rule = crate::rules::find("single-replica").unwrap();
        assert_eq!(rule.severity(Profile::Minikube), None);
        assert_eq!(rule.severity(Profile::Production), Some(crate::Severity::Warning));
        // The default preset runs one replica of each component: only production says so.
        let count = |profile| {
            let analysis = crate::analyze_values(&Default::default(), None, profile);
            analysis.diagnostics.iter().filter(|d| d.rule == "single-replica").count()
        };
        assert_eq!(count(Profile::Production), 2);
        assert_eq!(count(Profile::Minikube), 0);
        // And the other way round: loadbalancer-on-minikube is off in production.
        let analysis = crate::analyze_values(&Default::default(), None, Profile::Production);
        assert!(analysis.diagnostics.iter().all(|d| d.rule != "loadbalancer-on-minikube"));
        let analysis = crate::analyze_values(&Default::default(), None, Profile::Minikube);
        let d =
            analysis.diagnostics.iter().find(|d| d.rule == "loadbalancer-on-minikube").expect("reported on minikube");
        assert_eq!(d.severity, crate::Severity::Info);
        assert_eq!(d.path.as_deref(), Some("components.todo-frontend.service.type"));
    }
}
