//! image-pull-secret-missing: a pod's imagePullSecrets should be Secrets of its namespace.

use super::{Category, Check, EdgeKind, ManifestSink, Rule};
use crate::diagnostic::Severity::*;
use crate::manifest::ManifestSet;
use crate::resource::ResourceRef;

pub const RULE: Rule = Rule {
    id: "image-pull-secret-missing",
    summary: "An imagePullSecret that is not a Secret of the pod's namespace cannot log in to the registry, so private images fail to pull.",
    help: "Create the registry Secret (`kubectl create secret docker-registry ...`) in the namespace, or fix the name; it is often made out of band.",
    category: Category::Relationship,
    minikube: Some(Warning),
    production: Some(Warning),
    check: Check::Manifests(check),
};

fn check(set: &ManifestSet, sink: &mut ManifestSink) {
    for w in set.workloads() {
        let namespace = set.namespace_of(w.resource);
        let secrets = w.pod_spec.and_then(|s| s.image_pull_secrets.as_deref()).unwrap_or(&[]);
        for (i, secret) in secrets.iter().enumerate() {
            let (from, to) = (w.pods_ref(set), ResourceRef::to_kind("Secret", namespace, &secret.name));
            if set.find("Secret", namespace, &secret.name).is_some() {
                sink.edge(from, to, EdgeKind::PullsWith, "pulls with");
                continue;
            }
            let message = format!("{} pulls its images with Secret `{}`, which is not in namespace `{namespace}`: unless it is made out of band, private images fail with ErrImagePull.", w.who(), secret.name);
            let field = w.pod_field(&["imagePullSecrets".into(), i.into(), "name".into()]);
            sink.broken_edge(from, to, EdgeKind::PullsWith, "pulls with", (w.resource, field), message);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::manifests;

    const RULE: &str = "image-pull-secret-missing";

    fn set(secret: &str) -> String {
        format!("{secret}apiVersion: v1\nkind: Pod\nmetadata: {{name: web}}\nspec:\n  imagePullSecrets: [{{name: registry}}]\n  containers: [{{name: web, image: \"ghcr.io/me/web:1\"}}]\n")
    }

    #[test]
    fn an_existing_registry_secret_passes() {
        let sink = manifests(
            RULE,
            &set(
                "apiVersion: v1\nkind: Secret\nmetadata: {name: registry}\ntype: kubernetes.io/dockerconfigjson\n---\n",
            ),
        );
        assert!(sink.findings.is_empty());
        assert_eq!(sink.edges.get(0).from.to_string(), "default/Pod/web");
    }

    #[test]
    fn a_missing_registry_secret_is_reported() {
        let sink = manifests(RULE, &set(""));
        assert_eq!(sink.findings[0].field.to_string(), "spec.imagePullSecrets[0].name");
    }
}
