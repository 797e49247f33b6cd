//! missing-readiness-probe, missing-liveness-probe: containers Kubernetes cannot health-check.

use super::{Category, Check, Rule};
use crate::diagnostic::Severity::*;
use crate::manifest::WorkloadKind;
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

/// Readiness gates two things: a Service's traffic and a rolling update's progress. Pods no
/// Service selects and no rollout waits for (a bare Pod, a Job) are not nagged for a probe that
/// changes nothing. A pod is Ready when all its containers are, so one probe gates the pod.
fn check_readiness(set: &ManifestSet, sink: &mut super::ManifestSink) {
    for w in set.workloads() {
        if w.containers().iter().any(|c| c.readiness_probe.is_some()) {
            continue;
        }
        let rolled_out = matches!(
            w.kind,
            WorkloadKind::Deployment
                | WorkloadKind::StatefulSet
                | WorkloadKind::DaemonSet
                | WorkloadKind::DeploymentConfig
        );
        let service = set.selecting(w.resource).next().map(|i| set.resources[i].object.name());
        let why = match (service, rolled_out) {
            (Some(service), _) => format!("Service `{service}` sends it traffic as soon as it starts"),
            (None, true) => {
                format!("a rollout of {} moves on as soon as it starts, even if it cannot serve yet", w.who())
            }
            (None, false) => continue,
        };
        for c in w.main_containers() {
            sink.report(c.resource(), c.at("readinessProbe"), format!("{} has no readinessProbe, so {why}.", c.who()));
        }
    }
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
    // Pods that run to completion end by themselves: a hang is bounded by the Job's deadline.
    let long_running = crate::manifest::workload::containers(set).filter(|c| !c.workload.kind.runs_to_completion());
    for c in long_running {
        if c.container.liveness_probe.is_none() {
            sink.report(
                c.resource(),
                c.at("livenessProbe"),
                format!("{} has no livenessProbe, so Kubernetes never restarts it if it hangs.", c.who()),
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
    fn readiness_is_not_asked_of_pods_nothing_waits_for() {
        assert!(rendered("missing-readiness-probe", "").findings.is_empty());
        // Without a Service, a Deployment's rollout still waits for readiness.
        let sink = rendered(
            "missing-readiness-probe",
            "components:\n  todo-backend:\n    probes: {readiness: null}\n    service: null\n",
        );
        assert!(sink.findings[0].message.contains("a rollout of Deployment `todo-backend`"), "{:?}", sink.findings);
        // A Service in another namespace, or with a selector that does not match, selects nothing;
        // a bare Pod has no rollout.
        let yaml = "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: other}\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n---\napiVersion: v1\nkind: Service\nmetadata: {name: api}\nspec:\n  selector: {app: api}\n  ports: [{port: 80}]\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: web, labels: {app: web}}\nspec:\n  containers:\n    - {name: web, image: \"nginx:1.27\"}\n";
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

    #[test]
    fn readiness_gates_services_and_rollouts_and_one_probe_gates_the_pod() {
        let pod = |kind: &str, probe: &str| {
            format!("apiVersion: apps/v1\nkind: {kind}\nmetadata: {{name: w}}\nspec:\n  selector: {{matchLabels: {{app: w}}}}\n  template:\n    metadata: {{labels: {{app: w}}}}\n    spec:\n      containers:\n        - {{name: app, image: \"app:1\"{probe}}}\n        - {{name: sidecar, image: \"side:1\"}}\n")
        };
        let rollout = manifests("missing-readiness-probe", &pod("StatefulSet", ""));
        assert_eq!(rollout.findings.len(), 2);
        assert!(
            rollout.findings[0].message.contains("a rollout of StatefulSet `w`"),
            "{}",
            rollout.findings[0].message
        );
        let gated =
            manifests("missing-readiness-probe", &pod("StatefulSet", ", readinessProbe: {tcpSocket: {port: 80}}"));
        assert!(gated.findings.is_empty(), "{:?}", gated.findings);
        // A ReplicaSet with no Service: nothing waits for its readiness.
        assert!(manifests("missing-readiness-probe", &pod("ReplicaSet", "")).findings.is_empty());
    }
}
