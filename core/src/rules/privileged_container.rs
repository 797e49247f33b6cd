//! privileged-container: a container that runs privileged has the node's devices and kernel at hand.

use super::{Category, Check, Rule};
use crate::diagnostic::Severity::*;
use crate::manifest::workload::all_containers;

pub const RULE: Rule = Rule {
    id: "privileged-container",
    summary:
        "A privileged container runs with every capability and the node's devices: escaping it means owning the node.",
    help: "Remove `privileged: true`; add only the capabilities the process needs (`capabilities.add`).",
    category: Category::BestPractice,
    minikube: Some(Warning),
    production: Some(Error),
    check: Check::Manifests(check),
};

fn check(set: &crate::ManifestSet, sink: &mut super::ManifestSink) {
    for c in all_containers(set) {
        if super::pod_security::privileged::is_privileged(&c) {
            let message =
                format!("{} runs privileged: it can use every device and kernel feature of its node.", c.who());
            sink.report(c.resource(), c.at("securityContext.privileged"), message);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{manifests, rendered};

    const RULE: &str = "privileged-container";

    fn pod(privileged: bool) -> String {
        format!("apiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nspec:\n  containers: [{{name: app, image: \"app:1\", securityContext: {{privileged: {privileged}}}}}]\n")
    }

    #[test]
    fn unprivileged_containers_pass() {
        assert!(rendered(RULE, "{}").findings.is_empty());
        assert!(manifests(RULE, &pod(false)).findings.is_empty());
    }

    #[test]
    fn a_privileged_container_is_reported() {
        let sink = manifests(RULE, &pod(true));
        assert_eq!(sink.findings[0].field.to_string(), "spec.containers[0].securityContext.privileged");
        assert!(sink.findings[0].message.contains("container `app` of Pod `p`"));
    }
}
