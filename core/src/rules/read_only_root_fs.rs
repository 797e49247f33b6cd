//! read-only-root-fs: a container whose root filesystem is writable.

use super::{Category, Check, Rule};
use crate::diagnostic::Severity::*;

pub const RULE: Rule = Rule {
    id: "read-only-root-fs",
    summary: "The container can write to its root filesystem, which lets an attacker change the app's files.",
    help: "Set securityContext.readOnlyRootFilesystem: true and mount an emptyDir where the app must write (caches, /tmp).",
    category: Category::BestPractice,
    minikube: Some(Info),
    production: Some(Warning),
    check: Check::Manifests(check),
};

fn check(set: &crate::ManifestSet, sink: &mut super::ManifestSink) {
    for c in crate::manifest::workload::containers(set) {
        // Only the container's securityContext has this field; the pod's has no such default.
        let value = c.container.security_context.as_ref().and_then(|s| s.read_only_root_filesystem);
        let state = match value {
            Some(true) => continue,
            Some(false) => "sets readOnlyRootFilesystem: false",
            None => "does not set readOnlyRootFilesystem (it defaults to false)",
        };
        sink.report(
            c.resource(),
            c.at("securityContext.readOnlyRootFilesystem"),
            format!("{} {state}, so its root filesystem is writable.", c.who()),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{manifests, rendered};

    #[test]
    fn false_or_unset_is_reported() {
        let sink = rendered(
            "read-only-root-fs",
            "components:\n  todo-backend:\n    securityContext: {readOnlyRootFilesystem: null}\n  todo-frontend:\n    securityContext: {readOnlyRootFilesystem: false}\n",
        );
        let found: Vec<(usize, String)> = sink.findings.iter().map(|f| (f.resource, f.field.to_string())).collect();
        let field = "spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem".to_string();
        assert_eq!(found, [(5, field.clone()), (6, field)]);
        assert!(sink.findings[0].message.contains("does not set"), "{}", sink.findings[0].message);
        assert!(sink.findings[1].message.contains("readOnlyRootFilesystem: false"), "{}", sink.findings[1].message);
    }

    #[test]
    fn true_passes() {
        let yaml = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n        - name: web\n          image: \"nginx:1.27\"\n          securityContext: {readOnlyRootFilesystem: true}\n";
        assert!(manifests("read-only-root-fs", yaml).findings.is_empty());
    }
}
