//! pull-policy-never: imagePullPolicy Never, which only works for images already on the node.

use super::{Category, Check, Rule};
use crate::diagnostic::Severity::*;

pub const RULE: Rule = Rule {
    id: "pull-policy-never",
    summary: "imagePullPolicy Never only works when the image is already on the node: fine on Minikube after `minikube image load`, wrong on a real cluster.",
    help: "On Minikube: `minikube image load IMAGE` after every build. Elsewhere: push the image to a registry and use IfNotPresent.",
    category: Category::BestPractice,
    minikube: Some(Info),
    production: Some(Error),
    check: Check::Manifests(check),
};

fn check(set: &crate::ManifestSet, sink: &mut super::ManifestSink) {
    for c in crate::manifest::workload::containers(set) {
        if c.container.image_pull_policy.as_deref() != Some("Never") {
            continue;
        }
        let image = c.container.image.as_deref().unwrap_or("IMAGE");
        sink.report(
            c.resource(),
            c.at("imagePullPolicy"),
            format!(
                "{} has imagePullPolicy Never: on Minikube load the image first (`minikube image load {image}`), and on a real cluster the pod never starts (ErrImageNeverPull) unless `{image}` is already on every node.",
                c.who()
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::rendered;

    #[test]
    fn never_is_reported_with_the_load_command() {
        // The preset builds images locally, so both components use Never.
        let sink = rendered("pull-policy-never", "");
        let found: Vec<(usize, String)> = sink.findings.iter().map(|f| (f.resource, f.field.to_string())).collect();
        let field = "spec.template.spec.containers[0].imagePullPolicy".to_string();
        assert_eq!(found, [(5, field.clone()), (6, field)]);
        assert!(
            sink.findings[0].message.contains("`minikube image load todo-backend:1.0.0`"),
            "{}",
            sink.findings[0].message
        );
    }

    #[test]
    fn other_policies_pass() {
        let sink = rendered(
            "pull-policy-never",
            "components:\n  todo-backend:\n    image: {pullPolicy: IfNotPresent}\n  todo-frontend:\n    image: {pullPolicy: null}\n",
        );
        assert!(sink.findings.is_empty(), "{:?}", sink.findings);
    }
}
