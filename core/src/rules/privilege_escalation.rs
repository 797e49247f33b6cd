//! allow-privilege-escalation: a container whose process may gain privileges (setuid binaries).

use super::{Category, Check, Rule};
use crate::diagnostic::Severity::*;

pub const RULE: Rule = Rule {
    id: "allow-privilege-escalation",
    summary: "The process may gain more privileges than its parent, e.g. through setuid binaries.",
    help: "Set securityContext.allowPrivilegeEscalation: false (and do not run the container privileged).",
    category: Category::BestPractice,
    minikube: Some(Info),
    production: Some(Warning),
    check: Check::Manifests(check),
};

fn check(set: &crate::ManifestSet, sink: &mut super::ManifestSink) {
    for c in crate::manifest::workload::containers(set) {
        let who = || c.who();
        let context = c.container.security_context.as_ref();
        // A privileged container can always escalate, and the API server rejects
        // allowPrivilegeEscalation: false next to privileged: true, so the fix is there.
        if super::pod_security::privileged::is_privileged(&c) {
            sink.report(
                c.resource(),
                c.at("securityContext.privileged"),
                format!("{} runs with privileged: true, which always allows privilege escalation (and full access to the node).", who()),
            );
            continue;
        }
        let state = match context.and_then(|s| s.allow_privilege_escalation) {
            Some(false) => continue,
            Some(true) => "sets allowPrivilegeEscalation: true",
            None => "does not set allowPrivilegeEscalation (it defaults to true)",
        };
        sink.report(
            c.resource(),
            c.at("securityContext.allowPrivilegeEscalation"),
            format!("{} {state}, so its process may gain more privileges than its parent.", who()),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{manifests, rendered};

    fn fields(sink: &crate::rules::ManifestSink) -> Vec<String> {
        sink.findings.iter().map(|f| f.field.to_string()).collect()
    }

    #[test]
    fn unset_true_or_privileged_is_reported() {
        let sink = rendered(
            "allow-privilege-escalation",
            "components:\n  todo-frontend:\n    securityContext: {allowPrivilegeEscalation: null}\n",
        );
        assert_eq!(fields(&sink), ["spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation"]);
        assert_eq!(sink.findings[0].resource, 6, "the todo-frontend Deployment");
        let yaml = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n        - name: allowed\n          image: \"nginx:1.27\"\n          securityContext: {allowPrivilegeEscalation: true}\n        - name: privileged\n          image: \"nginx:1.27\"\n          securityContext: {privileged: true}\n";
        let sink = manifests("allow-privilege-escalation", yaml);
        assert_eq!(
            fields(&sink),
            [
                "spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation",
                "spec.template.spec.containers[1].securityContext.privileged"
            ]
        );
    }

    #[test]
    fn false_passes() {
        assert!(rendered("allow-privilege-escalation", "").findings.is_empty());
    }
}
