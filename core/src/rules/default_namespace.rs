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

fn check(set: &crate::ManifestSet, sink: &mut super::ManifestSink) {
    let namespaced: Vec<usize> = set.iter().filter(|(_, r)| r.object.is_namespaced()).map(|(i, _)| i).collect();
    let sets_one = |i: usize| set.resources[i].object.metadata().namespace.as_deref().is_some_and(|n| !n.is_empty());
    // A namespace given to the whole set (`-n`) is the learner's choice, not `default`.
    let unset_lands_in_default = set.default_namespace() == "default";
    let mixed = namespaced.iter().any(|&i| sets_one(i)) && namespaced.iter().any(|&i| !sets_one(i));
    // Files (rendered objects count as one) in which nothing sets a namespace: one finding
    // each, at their first object, instead of one per object.
    let mut reported_files: Vec<Option<usize>> = Vec::new();
    for &i in &namespaced {
        let resource = &set.resources[i];
        let id = resource.object.id();
        let message = match resource.object.metadata().namespace.as_deref() {
            Some("default") => format!("{id} sets namespace `default`."),
            Some(n) if !n.is_empty() => continue,
            _ if !unset_lands_in_default => continue,
            _ if mixed => format!(
                "{id} sets no namespace while other objects of the set do, so it lands in `default` (or whatever namespace kubectl's context uses), apart from them."
            ),
            _ => {
                let file = match &resource.origin {
                    crate::manifest::Origin::Parsed { file, .. } => Some(*file),
                    crate::manifest::Origin::Rendered { .. } => None,
                };
                if reported_files.contains(&file) {
                    continue;
                }
                reported_files.push(file);
                let in_file: Vec<usize> = namespaced
                    .iter()
                    .copied()
                    .filter(|&j| match &set.resources[j].origin {
                        crate::manifest::Origin::Parsed { file: f, .. } => Some(*f) == file,
                        crate::manifest::Origin::Rendered { .. } => file.is_none(),
                    })
                    .collect();
                let name = file.and_then(|f| set.files.get(f)).map_or("the rendered set", |f| f.name.as_str());
                let count = in_file.len();
                let objects =
                    if count == 1 { format!("its object ({id}) lands") } else { format!("its {count} objects land") };
                let created = set.iter().find(|(_, r)| matches!(r.object, Object::Namespace(_))).map(|(_, r)| {
                    format!(" The Namespace `{}` it creates is not used by them: set metadata.namespace, or apply with `-n`.", r.object.name())
                });
                format!(
                    "nothing in {name} sets a namespace, so {objects} in `default` (or whatever namespace kubectl's context uses).{}",
                    created.unwrap_or_default()
                )
            }
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
            sink.findings[0]
                .message
                .starts_with("nothing in m.yaml sets a namespace, so its object (ConfigMap/settings)"),
            "{}",
            sink.findings[0].message
        );
    }

    #[test]
    fn a_file_without_namespaces_is_one_finding_and_a_mixed_set_one_per_object() {
        let many = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n";
        let sink = manifests("default-namespace", many);
        assert_eq!(found(&sink), [(0, "metadata.namespace".to_string())]);
        assert!(sink.findings[0].message.contains("its 2 objects"), "{}", sink.findings[0].message);
        let mixed = many.replace("{name: a}", "{name: a, namespace: shop}");
        let sink = manifests("default-namespace", &mixed);
        assert_eq!(found(&sink), [(1, "metadata.namespace".to_string())]);
        assert!(sink.findings[0].message.contains("while other objects of the set do"));
    }

    #[test]
    fn an_own_namespace_passes() {
        assert!(rendered("default-namespace", "").findings.is_empty());
        let yaml = "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: shop}\n";
        assert!(manifests("default-namespace", yaml).findings.is_empty());
        // Applied with `-n shop`, objects without a namespace land there.
        let (set, _) = crate::manifest::read_in(
            vec![crate::SourceFile::new("m.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\n")],
            "shop",
        );
        assert!(crate::rules::testing::run_on("default-namespace", &set).findings.is_empty());
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
