//! run-as-non-root: a container that may run as root (UID 0).

use super::{Category, Check, Rule};
use crate::diagnostic::Severity::*;

pub const RULE: Rule = Rule {
    id: "run-as-non-root",
    summary: "The container may run as root; a compromised process would then own the container.",
    help: "Set securityContext.runAsNonRoot: true (and a runAsUser such as 1000 if the image has no USER).",
    category: Category::BestPractice,
    minikube: Some(Info),
    production: Some(Warning),
    check: Check::Manifests(check),
};

fn check(set: &crate::ManifestSet, sink: &mut super::ManifestSink) {
    for c in crate::manifest::workload::containers(set) {
        let container = c.container.security_context.as_ref();
        let pod = c.workload.pod_spec.and_then(|s| s.security_context.as_ref());
        // The container's setting wins over the pod's; point at whichever applies.
        let pod_field = |leaf: &str| c.workload.pod_field(&["securityContext".into(), leaf.into()]);
        let effective = |of_container: Option<i64>, of_pod: Option<i64>, leaf: &str| match (of_container, of_pod) {
            (Some(id), _) => Some((id, c.at(&["securityContext.", leaf].concat()))),
            (None, Some(id)) => Some((id, pod_field(leaf))),
            (None, None) => None,
        };
        let user = effective(container.and_then(|s| s.run_as_user), pod.and_then(|s| s.run_as_user), "runAsUser");
        let group = effective(container.and_then(|s| s.run_as_group), pod.and_then(|s| s.run_as_group), "runAsGroup");
        let non_root = container.and_then(|s| s.run_as_non_root).or(pod.and_then(|s| s.run_as_non_root));
        match user {
            // An explicit UID 0 is root whatever runAsNonRoot says (with runAsNonRoot: true the
            // kubelet refuses to start it: CreateContainerConfigError).
            Some((0, field)) => {
                let consequence = if non_root == Some(true) {
                    "which contradicts runAsNonRoot: true, so the kubelet refuses to start it"
                } else {
                    "so it runs as root"
                };
                sink.report(c.resource(), field, format!("{} sets runAsUser: 0, {consequence}.", c.who()));
                continue;
            }
            // A non-zero UID is not root, whether or not runAsNonRoot says so.
            Some(_) => {}
            None if non_root == Some(true) => {}
            None => {
                let state = if non_root == Some(false) {
                    "sets runAsNonRoot: false"
                } else {
                    "sets neither runAsNonRoot: true nor a runAsUser"
                };
                sink.report(
                    c.resource(),
                    c.at("securityContext.runAsNonRoot"),
                    format!("{} {state}, so it runs as root if its image has no USER.", c.who()),
                );
                continue;
            }
        }
        // A non-root user in the root group still reads and writes every root-group file.
        if let Some((0, field)) = group {
            sink.report(
                c.resource(),
                field,
                format!(
                    "{} sets runAsGroup: 0, so it runs in the root group and can use every file the root group owns.",
                    c.who()
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{manifests, rendered};

    fn fields(sink: &crate::rules::ManifestSink) -> Vec<String> {
        sink.findings.iter().map(|f| f.field.to_string()).collect()
    }

    const DEPLOYMENT: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n";

    #[test]
    fn unset_or_uid_zero_is_reported() {
        let sink = rendered(
            "run-as-non-root",
            "components:\n  todo-backend:\n    securityContext: {runAsNonRoot: null, runAsUser: null}\n",
        );
        assert_eq!(fields(&sink), ["spec.template.spec.containers[0].securityContext.runAsNonRoot"]);
        assert_eq!(sink.findings[0].resource, 5, "the todo-backend Deployment");
        let sink = rendered("run-as-non-root", "components:\n  todo-frontend:\n    securityContext: {runAsUser: 0}\n");
        assert_eq!(fields(&sink), ["spec.template.spec.containers[0].securityContext.runAsUser"]);
        assert!(sink.findings[0].message.contains("refuses to start"), "{}", sink.findings[0].message);
        // A root UID from the pod's securityContext is reported there.
        let yaml = format!("{DEPLOYMENT}      securityContext: {{runAsUser: 0}}\n      containers:\n        - {{name: web, image: \"nginx:1.27\"}}\n");
        assert_eq!(fields(&manifests("run-as-non-root", &yaml)), ["spec.template.spec.securityContext.runAsUser"]);
    }

    #[test]
    fn pod_level_or_non_zero_uid_passes() {
        assert!(rendered("run-as-non-root", "").findings.is_empty());
        let yaml = format!(
            "{DEPLOYMENT}      securityContext: {{runAsNonRoot: true}}\n      containers:\n        - {{name: web, image: \"nginx:1.27\"}}\n        - {{name: uid, image: \"nginx:1.27\", securityContext: {{runAsNonRoot: false, runAsUser: 101}}}}\n"
        );
        assert!(manifests("run-as-non-root", &yaml).findings.is_empty());
    }

    #[test]
    fn a_root_group_is_reported_even_for_a_non_root_user() {
        let yaml = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  securityContext: {runAsGroup: 0}\n  containers: [{name: app, image: \"app:1\", securityContext: {runAsUser: 1001}}]\n";
        let sink = manifests("run-as-non-root", yaml);
        assert_eq!(fields(&sink), ["spec.securityContext.runAsGroup"]);
        assert!(sink.findings[0].message.contains("root group"));
        let fine = yaml.replace("runAsGroup: 0", "runAsGroup: 1001");
        assert!(manifests("run-as-non-root", &fine).findings.is_empty());
    }
}
