//! missing-readiness-probe, missing-liveness-probe: containers Kubernetes cannot health-check.

use crate::manifest::workload::ContainerRef;
use super::{Category, Check, Rule};
use crate::diagnostic::Severity::*;
use crate::ManifestSet;

pub const READINESS: Rule = Rule {
    id: "missing-readiness-probe",
    summary: "Without a readiness probe, the Service sends traffic to pods before they can answer.",
    help: "Add a readiness probe on the port the app serves, e.g. httpGet `/health` on port `http`.",
    category: Category::BestPractice,
    minikube: Some(Warning),
    production: Some(Error),
    check: Check::Manifests(check_readiness),
};

/// Only containers of pods a Service sends traffic to: readiness decides nothing else (a worker
/// with no Service would be nagged for a probe that changes nothing).
fn check_readiness(set: &ManifestSet, sink: &mut super::ManifestSink) {
    for c in crate::manifest::workload::containers(set) {
        if c.container.readiness_probe.is_some() {
            continue;
        }
        let Some(service) = selecting_service(set, &c) else {
            continue;
        };
        sink.report(
            c.resource(),
            c.at("readinessProbe"),
            format!(
                "{} has no readinessProbe, so Service `{service}` sends it traffic as soon as it starts.",
                c.who()
            ),
        );
    }
}

/// The name of a Service in the Deployment's namespace whose selector matches its pods.
fn selecting_service<'a>(set: &'a ManifestSet, c: &ContainerRef<'_>) -> Option<&'a str> {
    set.selecting(c.resource()).next().map(|i| set.resources[i].object.name())
}

pub const LIVENESS: Rule = Rule {
    id: "missing-liveness-probe",
    summary: "Without a liveness probe, a hung process is never restarted.",
    help: "Add a liveness probe, e.g. httpGet `/health` with a longer period than readiness.",
    category: Category::BestPractice,
    minikube: Some(Info),
    production: Some(Warning),
    check: Check::Manifests(check_liveness),
};

fn check_liveness(set: &ManifestSet, sink: &mut super::ManifestSink) {
    for c in crate::manifest::workload::containers(set) {
        if c.container.liveness_probe.is_none() {
            sink.report(
                c.resource(),
                c.at("livenessProbe"),
                format!(
                    "{} has no livenessProbe, so Kubernetes never restarts it if it hangs.",
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

    #[test]
    fn missing_readiness_behind_a_service_is_reported() {
        let sink = rendered("missing-readiness-probe", "components:\n  todo-backend:\n    probes: {readiness: null}\n");
        assert_eq!(fields(&sink), ["spec.template.spec.containers[0].readinessProbe"]);
        assert_eq!(sink.findings[0].resource, 5, "the todo-backend Deployment");
        assert!(sink.findings[0].message.contains("Service `todo-backend`"), "{}", sink.findings[0].message);
    }

    #[test]
    fn readiness_is_not_asked_of_pods_no_service_selects() {
        assert!(rendered("missing-readiness-probe", "").findings.is_empty());
        let sink = rendered(
            "missing-readiness-probe",
            "components:\n  todo-backend:\n    probes: {readiness: null}\n    service: null\n",
        );
        assert!(sink.findings.is_empty(), "{:?}", sink.findings);
        // A Service in another namespace, or with a selector that does not match, selects nothing.
        let yaml = "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: other}\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n---\napiVersion: v1\nkind: Service\nmetadata: {name: api}\nspec:\n  selector: {app: api}\n  ports: [{port: 80}]\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n        - {name: web, image: \"nginx:1.27\"}\n";
        assert!(manifests("missing-readiness-probe", yaml).findings.is_empty());
    }

    #[test]
    fn missing_liveness_is_reported_per_container() {
        assert!(rendered("missing-liveness-probe", "").findings.is_empty());
        let yaml = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n        - name: web\n          image: \"nginx:1.27\"\n          livenessProbe: {httpGet: {path: /, port: 80}}\n        - {name: sidecar, image: \"busybox:1.36\"}\n";
        let sink = manifests("missing-liveness-probe", yaml);
        assert_eq!(fields(&sink), ["spec.template.spec.containers[1].livenessProbe"]);
        assert!(sink.findings[0].message.contains("`sidecar`"));
    }
}
