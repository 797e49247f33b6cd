//! `kubectl rollout status` for Deployments (here), StatefulSets, DaemonSets and Jobs (`kinds`), as pure functions over the objects the server returned.
//!
//! A port of kubectl's `DeploymentStatusViewer.Status`
//! (k8s.io/kubectl/pkg/polymorphichelpers/rollout_status.go): same order of checks, same words,
//! so `kubeplay apply` and the browser print exactly what a learner would see from kubectl. The
//! `--revision` check is left out: kubeplay always waits for the revision it just applied.

mod kinds;

use k8s_openapi::api::apps::v1::Deployment;
pub use kinds::{daemon_set_status, job_status, stateful_set_status};
use serde::Serialize;

/// The deployment controller's reason on the `Progressing` condition when a rollout made no
/// progress for `spec.progressDeadlineSeconds` (kubectl's `deploymentutil.TimedOutReason`).
pub const TIMED_OUT_REASON: &str = "ProgressDeadlineExceeded";

/// Where a Deployment's rollout stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", content = "message", rename_all = "kebab-case")]
pub enum RolloutStatus {
    /// Still rolling out; poll again. The message is kubectl's progress line.
    Waiting(String),
    /// Every replica is updated and available.
    Done(String),
    /// The rollout will not finish by itself (kubectl exits with this error).
    Failed(String),
}

impl RolloutStatus {
    pub fn message(&self) -> &str {
        match self {
            RolloutStatus::Waiting(m) | RolloutStatus::Done(m) | RolloutStatus::Failed(m) => m,
        }
    }
    pub fn is_done(&self) -> bool {
        matches!(self, RolloutStatus::Done(_))
    }
    pub fn is_failed(&self) -> bool {
        matches!(self, RolloutStatus::Failed(_))
    }
}

/// kubectl's `%q` for a name: Kubernetes names are plain ASCII, so Rust's debug quoting matches
/// Go's for every name the API server accepts (and still escapes anything odd).
fn quoted(name: &str) -> String {
    format!("{name:?}")
}

/// The rollout status of `deployment` as fetched from the server (metadata.generation and status
/// filled in). Missing numbers count as 0, as they do in Go.
pub fn status(deployment: &Deployment) -> RolloutStatus {
    let name = quoted(deployment.metadata.name.as_deref().unwrap_or(""));
    let generation = deployment.metadata.generation.unwrap_or(0);
    let status = deployment.status.clone().unwrap_or_default();
    // Until the controller has seen the newest spec, every number below describes the old one.
    if generation > status.observed_generation.unwrap_or(0) {
        return RolloutStatus::Waiting("Waiting for deployment spec update to be observed...".into());
    }
    let progressing = status.conditions.iter().flatten().find(|c| c.type_ == "Progressing");
    if progressing.is_some_and(|c| c.reason.as_deref() == Some(TIMED_OUT_REASON)) {
        return RolloutStatus::Failed(format!("deployment {name} exceeded its progress deadline"));
    }
    let updated = status.updated_replicas.unwrap_or(0);
    let total = status.replicas.unwrap_or(0);
    let available = status.available_replicas.unwrap_or(0);
    // kubectl skips this check when spec.replicas is unset; the server always defaults it to 1.
    if let Some(desired) = deployment.spec.as_ref().and_then(|s| s.replicas) {
        if updated < desired {
            return RolloutStatus::Waiting(format!(
                "Waiting for deployment {name} rollout to finish: {updated} out of {desired} new replicas have been updated..."
            ));
        }
    }
    if total > updated {
        return RolloutStatus::Waiting(format!(
            "Waiting for deployment {name} rollout to finish: {} old replicas are pending termination...",
            total - updated
        ));
    }
    if available < updated {
        return RolloutStatus::Waiting(format!(
            "Waiting for deployment {name} rollout to finish: {available} of {updated} updated replicas are available..."
        ));
    }
    RolloutStatus::Done(format!("deployment {name} successfully rolled out"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A Deployment of 3 replicas named `web`, at generation 2, with `status` as its status.
    fn deployment(status: &str) -> Deployment {
        let yaml = format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: web, namespace: demo, generation: 2}}\nspec:\n  replicas: 3\n  selector: {{matchLabels: {{app: web}}}}\n  template:\n    metadata: {{labels: {{app: web}}}}\n    spec: {{containers: [{{name: web, image: \"nginx:1.27\"}}]}}\nstatus:\n{status}"
        );
        serde_yaml::from_str(&yaml).expect("test Deployment parses")
    }

    #[test]
    fn an_unobserved_generation_waits_whatever_the_counts_say() {
        let d = deployment("  observedGeneration: 1\n  replicas: 3\n  updatedReplicas: 3\n  availableReplicas: 3\n");
        assert_eq!(status(&d), RolloutStatus::Waiting("Waiting for deployment spec update to be observed...".into()));
    }

    #[test]
    fn a_fresh_deployment_without_status_waits_for_the_controller() {
        let mut d = deployment("  {}\n");
        d.status = None;
        assert_eq!(status(&d).message(), "Waiting for deployment spec update to be observed...");
    }

    #[test]
    fn progress_deadline_exceeded_fails() {
        let d = deployment(
            "  observedGeneration: 2\n  replicas: 3\n  updatedReplicas: 1\n  conditions:\n    - type: Progressing\n      status: \"False\"\n      reason: ProgressDeadlineExceeded\n      message: ReplicaSet \"web-5d8f7c9b4\" has timed out progressing.\n",
        );
        assert_eq!(status(&d), RolloutStatus::Failed("deployment \"web\" exceeded its progress deadline".into()));
        assert!(status(&d).is_failed());
    }

    #[test]
    fn a_progressing_condition_with_another_reason_keeps_waiting() {
        let d = deployment(
            "  observedGeneration: 2\n  replicas: 3\n  updatedReplicas: 1\n  conditions:\n    - {type: Progressing, status: \"True\", reason: ReplicaSetUpdated}\n",
        );
        assert_eq!(
            status(&d).message(),
            "Waiting for deployment \"web\" rollout to finish: 1 out of 3 new replicas have been updated..."
        );
    }

    #[test]
    fn old_replicas_pending_termination() {
        let d = deployment("  observedGeneration: 2\n  replicas: 4\n  updatedReplicas: 3\n  availableReplicas: 3\n");
        assert_eq!(
            status(&d),
            RolloutStatus::Waiting(
                "Waiting for deployment \"web\" rollout to finish: 1 old replicas are pending termination...".into()
            )
        );
    }

    #[test]
    fn updated_replicas_not_yet_available() {
        let d = deployment("  observedGeneration: 2\n  replicas: 3\n  updatedReplicas: 3\n  availableReplicas: 2\n");
        assert_eq!(
            status(&d).message(),
            "Waiting for deployment \"web\" rollout to finish: 2 of 3 updated replicas are available..."
        );
    }

    #[test]
    fn all_updated_and_available_is_done() {
        let d = deployment("  observedGeneration: 2\n  replicas: 3\n  updatedReplicas: 3\n  availableReplicas: 3\n  readyReplicas: 3\n");
        assert_eq!(status(&d), RolloutStatus::Done("deployment \"web\" successfully rolled out".into()));
        assert!(status(&d).is_done());
    }

    #[test]
    fn without_spec_replicas_the_desired_count_check_is_skipped_as_in_kubectl() {
        let mut d = deployment("  observedGeneration: 2\n  replicas: 0\n  updatedReplicas: 0\n");
        d.spec.as_mut().unwrap().replicas = None;
        assert!(status(&d).is_done());
    }

    #[test]
    fn serializes_with_state_and_message() {
        let json = serde_json::to_value(RolloutStatus::Waiting("w".into())).unwrap();
        assert_eq!(json, serde_json::json!({"state": "waiting", "message": "w"}));
    }
}
