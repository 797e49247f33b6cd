//! latest-tag: a container image without a tag, or tagged `latest`, so what runs is not pinned.

use super::workloads::{image_has_digest, image_tag};
use super::{Category, Check, Rule};
use crate::diagnostic::Severity::*;

pub const RULE: Rule = Rule {
    id: "latest-tag",
    summary: "An image without a tag, or tagged `latest`, changes under you: you cannot tell which version runs or roll back to one.",
    help: "Pin a version tag, e.g. `todo-backend:1.0.0` (or a digest, `@sha256:...`).",
    category: Category::BestPractice,
    minikube: Some(Warning),
    production: Some(Error),
    check: Check::Manifests(check),
};

fn check(set: &crate::ManifestSet, sink: &mut super::ManifestSink) {
    for c in crate::manifest::workload::containers(set) {
        // A missing or empty image is another rule's business; a digest pins the image whatever
        // its tag says.
        let Some(image) = c.container.image.as_deref().filter(|i| !i.trim().is_empty()) else {
            continue;
        };
        if image_has_digest(image) {
            continue;
        }
        let tag = match image_tag(image) {
            None => "no tag (so `latest`)".to_string(),
            Some("latest") => "the tag `latest`".to_string(),
            Some(_) => continue,
        };
        let who = c.who();
        // Kubernetes defaults imagePullPolicy to Always exactly for these images, which is the
        // surprise on Minikube: a locally built image is looked up in a registry and not found.
        let message = match c.container.image_pull_policy.as_deref() {
            None => format!(
                "{who} runs image `{image}` with {tag} and no imagePullPolicy, so Kubernetes defaults the policy to Always: every start pulls from a registry, which fails on Minikube for a locally built image (ErrImagePull)."
            ),
            Some("Always") => format!(
                "{who} runs image `{image}` with {tag} and imagePullPolicy Always: every start may pull a different image, and on Minikube a locally built image is not found (ErrImagePull)."
            ),
            Some(policy) => format!(
                "{who} runs image `{image}` with {tag} and imagePullPolicy {policy}: each node keeps whichever `latest` it got first, so pods can run different versions and a rollout changes nothing."
            ),
        };
        sink.report(c.resource(), c.at("image"), message);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{manifests, rendered};

    fn fields(sink: &crate::rules::ManifestSink) -> Vec<String> {
        sink.findings.iter().map(|f| f.field.to_string()).collect()
    }

    #[test]
    fn untagged_image_without_policy_explains_the_always_default() {
        let sink = rendered("latest-tag", "components:\n  todo-backend:\n    image: {tag: \"\", pullPolicy: null}\n");
        assert_eq!(fields(&sink), ["spec.template.spec.containers[0].image"]);
        let message = &sink.findings[0].message;
        assert!(message.contains("`todo-backend`") && message.contains("defaults the policy to Always"), "{message}");
    }

    #[test]
    fn latest_with_pull_policy_never_names_the_policy() {
        let sink = rendered("latest-tag", "components:\n  todo-frontend:\n    image: {tag: latest}\n");
        assert_eq!(fields(&sink), ["spec.template.spec.containers[0].image"]);
        assert_eq!(sink.findings[0].resource, 6, "the todo-frontend Deployment");
        assert!(sink.findings[0].message.contains("imagePullPolicy Never"), "{}", sink.findings[0].message);
    }

    #[test]
    fn pinned_tags_digests_and_registry_ports_pass() {
        assert!(rendered("latest-tag", "").findings.is_empty());
        let yaml = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n        - {name: pinned, image: \"nginx:latest@sha256:0123\"}\n        - {name: port, image: \"localhost:5000/app:1.2\"}\n        - {name: bare, image: \"localhost:5000/app\"}\n";
        let sink = manifests("latest-tag", yaml);
        assert_eq!(fields(&sink), ["spec.template.spec.containers[2].image"]);
    }
}
