//! When a StatefulSet, DaemonSet or Job is done, as pure functions over the object the server
//! returned, in core's [`RolloutStatus`] terms.
//!
//! StatefulSets and DaemonSets follow kubectl's `StatefulSetStatusViewer` and
//! `DaemonSetStatusViewer` (k8s.io/kubectl/pkg/polymorphichelpers/rollout_status.go): same
//! order of checks and words, with the name put in front where kubectl's sentence has none (a
//! wait shows many objects at once). kubectl has no rollout status for Jobs; a Job is done when
//! its `Complete` condition is true, as `kubectl wait --for=condition=complete` sees it.

use super::RolloutStatus;
use k8s_openapi::api::apps::v1::{DaemonSet, StatefulSet};
use k8s_openapi::api::batch::v1::Job;

/// The only update strategy kubectl follows a rollout of; the server's default for both kinds.
const ROLLING_UPDATE: &str = "RollingUpdate";

/// kubectl's `%q` of a name (names are plain ASCII, where Rust's quoting is Go's).
fn quoted(name: Option<&String>) -> String {
    format!("{:?}", name.map_or("", String::as_str))
}

/// The rollout status of a StatefulSet as fetched (metadata.generation and status filled in).
///
/// kubectl refuses `OnDelete` StatefulSets ("rollout status is only available for RollingUpdate
/// strategy type"); a wait cannot refuse, so for them only the checks that do not depend on the
/// strategy (spec observed, pods ready) are made.
pub fn stateful_set_status(sts: &StatefulSet) -> RolloutStatus {
    let name = quoted(sts.metadata.name.as_ref());
    let spec = sts.spec.as_ref();
    let status = sts.status.clone().unwrap_or_default();
    let strategy = spec.and_then(|s| s.update_strategy.as_ref());
    let rolling = strategy.and_then(|s| s.type_.as_deref()).unwrap_or(ROLLING_UPDATE) == ROLLING_UPDATE;
    let observed = status.observed_generation.unwrap_or(0);
    if observed == 0 || sts.metadata.generation.unwrap_or(0) > observed {
        return RolloutStatus::Waiting(format!(
            "statefulset {name}: Waiting for statefulset spec update to be observed..."
        ));
    }
    let desired = spec.and_then(|s| s.replicas);
    let ready = status.ready_replicas.unwrap_or(0);
    if let Some(desired) = desired.filter(|d| ready < *d) {
        return RolloutStatus::Waiting(format!(
            "statefulset {name}: Waiting for {} pods to be ready...",
            desired - ready
        ));
    }
    if !rolling {
        return RolloutStatus::Done(format!(
            "statefulset {name}: {ready} pods ready (update strategy OnDelete: pods change only when deleted)"
        ));
    }
    let updated = status.updated_replicas.unwrap_or(0);
    let partition = strategy.and_then(|s| s.rolling_update.as_ref()).and_then(|r| r.partition).unwrap_or(0);
    // kubectl takes this branch whenever `rollingUpdate` is set, and the API server always sets
    // it, so kubectl never reaches its revision check. With a partition the pods below it keep
    // the old revision on purpose, so the counts are all there is to check; without one, every
    // pod must reach the update revision, which is what the revisions say.
    if partition > 0 {
        if let Some(desired) = desired {
            if updated < desired - partition {
                return RolloutStatus::Waiting(format!(
                    "statefulset {name}: Waiting for partitioned roll out to finish: {updated} out of {} new pods have been updated...",
                    desired - partition
                ));
            }
        }
        return RolloutStatus::Done(format!(
            "statefulset {name}: partitioned roll out complete: {updated} new pods have been updated..."
        ));
    }
    let update_revision = status.update_revision.unwrap_or_default();
    let current_revision = status.current_revision.unwrap_or_default();
    if update_revision != current_revision || desired.is_some_and(|d| updated < d) {
        return RolloutStatus::Waiting(format!(
            "statefulset {name}: waiting for statefulset rolling update to complete {updated} pods at revision {update_revision}..."
        ));
    }
    RolloutStatus::Done(format!(
        "statefulset {name}: statefulset rolling update complete {} pods at revision {current_revision}...",
        status.current_replicas.unwrap_or(0)
    ))
}

/// The rollout status of a DaemonSet as fetched.
///
/// As for StatefulSets, an `OnDelete` DaemonSet (which kubectl refuses) is only checked for its
/// spec being observed and its pods being available.
pub fn daemon_set_status(ds: &DaemonSet) -> RolloutStatus {
    let name = quoted(ds.metadata.name.as_ref());
    let rolling = ds
        .spec
        .as_ref()
        .and_then(|s| s.update_strategy.as_ref())
        .and_then(|s| s.type_.as_deref())
        .unwrap_or(ROLLING_UPDATE)
        == ROLLING_UPDATE;
    let status = ds.status.clone().unwrap_or_default();
    if ds.metadata.generation.unwrap_or(0) > status.observed_generation.unwrap_or(0) {
        return RolloutStatus::Waiting(format!(
            "daemon set {name}: Waiting for daemon set spec update to be observed..."
        ));
    }
    let desired = status.desired_number_scheduled;
    let updated = status.updated_number_scheduled.unwrap_or(0);
    if rolling && updated < desired {
        return RolloutStatus::Waiting(format!(
            "Waiting for daemon set {name} rollout to finish: {updated} out of {desired} new pods have been updated..."
        ));
    }
    let available = status.number_available.unwrap_or(0);
    if available < desired {
        return RolloutStatus::Waiting(format!(
            "Waiting for daemon set {name} rollout to finish: {available} of {desired} updated pods are available..."
        ));
    }
    RolloutStatus::Done(format!("daemon set {name} successfully rolled out"))
}

/// Whether a Job has completed: its `Complete` condition true is done, its `Failed` condition
/// true will never be (the message names the Job and gives the controller's reason).
pub fn job_status(job: &Job) -> RolloutStatus {
    let name = quoted(job.metadata.name.as_ref());
    let status = job.status.clone().unwrap_or_default();
    let condition = |type_: &str| status.conditions.iter().flatten().find(|c| c.type_ == type_ && c.status == "True");
    if condition("Complete").is_some() {
        return RolloutStatus::Done(format!("job {name} completed"));
    }
    if let Some(failed) = condition("Failed") {
        let why = [failed.reason.as_deref(), failed.message.as_deref()]
            .into_iter()
            .flatten()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(": ");
        return RolloutStatus::Failed(if why.is_empty() {
            format!("job {name} failed")
        } else {
            format!("job {name} failed: {why}")
        });
    }
    if job.spec.as_ref().and_then(|s| s.suspend) == Some(true) {
        return RolloutStatus::Waiting(format!(
            "job {name} is suspended (spec.suspend): it starts no pods until resumed"
        ));
    }
    let count = |n: Option<i32>| n.unwrap_or(0);
    let completions = job.spec.as_ref().and_then(|s| s.completions).unwrap_or(1);
    RolloutStatus::Waiting(format!(
        "Waiting for job {name} to complete: {} of {completions} succeeded, {} active, {} failed...",
        count(status.succeeded),
        count(status.active),
        count(status.failed)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    /// A StatefulSet `db` of 3 replicas at generation 2 with `strategy` and `status`.
    fn sts(strategy: Value, status: Value) -> StatefulSet {
        serde_json::from_value(json!({
            "apiVersion": "apps/v1", "kind": "StatefulSet",
            "metadata": {"name": "db", "namespace": "shop", "generation": 2},
            "spec": {
                "replicas": 3, "serviceName": "db", "updateStrategy": strategy,
                "selector": {"matchLabels": {"app": "db"}},
                "template": {"metadata": {"labels": {"app": "db"}}, "spec": {"containers": [{"name": "db", "image": "postgres:17"}]}},
            },
            "status": status,
        }))
        .expect("test StatefulSet parses")
    }

    fn rolling() -> Value {
        json!({"type": "RollingUpdate", "rollingUpdate": {"partition": 0}})
    }

    #[test]
    fn a_statefulset_waits_for_its_spec_to_be_observed() {
        let s = sts(rolling(), json!({"replicas": 3, "observedGeneration": 1, "readyReplicas": 3}));
        assert_eq!(
            stateful_set_status(&s),
            RolloutStatus::Waiting("statefulset \"db\": Waiting for statefulset spec update to be observed...".into())
        );
        // kubectl counts an observedGeneration of 0 as not observed, whatever the generation.
        let mut fresh = sts(rolling(), json!({"replicas": 0}));
        fresh.metadata.generation = Some(0);
        assert!(!stateful_set_status(&fresh).is_done());
    }

    #[test]
    fn a_statefulset_waits_for_ready_pods_then_the_update_revision() {
        let s =
            sts(rolling(), json!({"replicas": 3, "observedGeneration": 2, "readyReplicas": 1, "updatedReplicas": 3}));
        assert_eq!(stateful_set_status(&s).message(), "statefulset \"db\": Waiting for 2 pods to be ready...");
        let s = sts(
            rolling(),
            json!({"replicas": 3, "observedGeneration": 2, "readyReplicas": 3, "updatedReplicas": 2, "currentReplicas": 1, "currentRevision": "db-1", "updateRevision": "db-2"}),
        );
        assert_eq!(
            stateful_set_status(&s),
            RolloutStatus::Waiting(
                "statefulset \"db\": waiting for statefulset rolling update to complete 2 pods at revision db-2..."
                    .into()
            )
        );
        let s = sts(
            rolling(),
            json!({"replicas": 3, "observedGeneration": 2, "readyReplicas": 3, "updatedReplicas": 3, "currentReplicas": 3, "currentRevision": "db-2", "updateRevision": "db-2"}),
        );
        assert_eq!(
            stateful_set_status(&s),
            RolloutStatus::Done(
                "statefulset \"db\": statefulset rolling update complete 3 pods at revision db-2...".into()
            )
        );
    }

    #[test]
    fn a_partitioned_statefulset_is_done_when_the_pods_above_the_partition_are_updated() {
        let partitioned = json!({"type": "RollingUpdate", "rollingUpdate": {"partition": 2}});
        let s = sts(
            partitioned.clone(),
            json!({"replicas": 3, "observedGeneration": 2, "readyReplicas": 3, "updatedReplicas": 0, "currentRevision": "db-1", "updateRevision": "db-2"}),
        );
        assert_eq!(
            stateful_set_status(&s).message(),
            "statefulset \"db\": Waiting for partitioned roll out to finish: 0 out of 1 new pods have been updated..."
        );
        // The revisions differ on purpose: pods below the partition stay at the old one.
        let s = sts(
            partitioned,
            json!({"replicas": 3, "observedGeneration": 2, "readyReplicas": 3, "updatedReplicas": 1, "currentRevision": "db-1", "updateRevision": "db-2"}),
        );
        assert_eq!(
            stateful_set_status(&s),
            RolloutStatus::Done(
                "statefulset \"db\": partitioned roll out complete: 1 new pods have been updated...".into()
            )
        );
    }

    #[test]
    fn an_on_delete_statefulset_is_done_once_its_pods_are_ready() {
        let s = sts(
            json!({"type": "OnDelete"}),
            json!({"replicas": 3, "observedGeneration": 2, "readyReplicas": 3, "updatedReplicas": 0, "currentRevision": "db-1", "updateRevision": "db-2"}),
        );
        assert!(stateful_set_status(&s).is_done(), "{:?}", stateful_set_status(&s));
        let s = sts(json!({"type": "OnDelete"}), json!({"replicas": 3, "observedGeneration": 2, "readyReplicas": 2}));
        assert!(!stateful_set_status(&s).is_done());
    }

    #[test]
    fn a_statefulset_without_status_waits() {
        let mut s = sts(rolling(), json!({"replicas": 0}));
        s.status = None;
        assert!(!stateful_set_status(&s).is_done());
    }

    /// A DaemonSet `log-agent` at generation 2 with `strategy` and `status`.
    fn ds(strategy: Value, status: Value) -> DaemonSet {
        serde_json::from_value(json!({
            "apiVersion": "apps/v1", "kind": "DaemonSet",
            "metadata": {"name": "log-agent", "namespace": "shop", "generation": 2},
            "spec": {
                "updateStrategy": strategy,
                "selector": {"matchLabels": {"app": "log-agent"}},
                "template": {"metadata": {"labels": {"app": "log-agent"}}, "spec": {"containers": [{"name": "a", "image": "a:1"}]}},
            },
            "status": status,
        }))
        .expect("test DaemonSet parses")
    }

    fn counts(observed: i64, desired: i32, updated: i32, available: i32) -> Value {
        json!({
            "observedGeneration": observed, "desiredNumberScheduled": desired, "currentNumberScheduled": desired,
            "numberMisscheduled": 0, "numberReady": available, "updatedNumberScheduled": updated, "numberAvailable": available,
        })
    }

    #[test]
    fn a_daemonset_follows_kubectl() {
        let rolling = json!({"type": "RollingUpdate"});
        assert_eq!(
            daemon_set_status(&ds(rolling.clone(), counts(1, 3, 3, 3))).message(),
            "daemon set \"log-agent\": Waiting for daemon set spec update to be observed..."
        );
        assert_eq!(
            daemon_set_status(&ds(rolling.clone(), counts(2, 3, 1, 3))),
            RolloutStatus::Waiting(
                "Waiting for daemon set \"log-agent\" rollout to finish: 1 out of 3 new pods have been updated..."
                    .into()
            )
        );
        assert_eq!(
            daemon_set_status(&ds(rolling.clone(), counts(2, 3, 3, 2))).message(),
            "Waiting for daemon set \"log-agent\" rollout to finish: 2 of 3 updated pods are available..."
        );
        assert_eq!(
            daemon_set_status(&ds(rolling.clone(), counts(2, 3, 3, 3))),
            RolloutStatus::Done("daemon set \"log-agent\" successfully rolled out".into())
        );
        // No node to run on: nothing to wait for, as in kubectl.
        assert!(daemon_set_status(&ds(rolling, counts(2, 0, 0, 0))).is_done());
    }

    #[test]
    fn an_on_delete_daemonset_waits_only_for_available_pods() {
        let on_delete = json!({"type": "OnDelete"});
        assert!(daemon_set_status(&ds(on_delete.clone(), counts(2, 3, 0, 3))).is_done());
        assert!(!daemon_set_status(&ds(on_delete, counts(2, 3, 0, 2))).is_done());
    }

    fn job(spec: Value, status: Value) -> Job {
        let mut spec_full =
            json!({"template": {"spec": {"restartPolicy": "Never", "containers": [{"name": "m", "image": "m:1"}]}}});
        for (k, v) in spec.as_object().into_iter().flatten() {
            spec_full[k] = v.clone();
        }
        serde_json::from_value(json!({
            "apiVersion": "batch/v1", "kind": "Job",
            "metadata": {"name": "migrate", "namespace": "shop"},
            "spec": spec_full,
            "status": status,
        }))
        .expect("test Job parses")
    }

    #[test]
    fn a_job_is_done_when_complete_and_failed_when_failed() {
        assert_eq!(
            job_status(&job(json!({}), json!({"active": 1}))),
            RolloutStatus::Waiting(
                "Waiting for job \"migrate\" to complete: 0 of 1 succeeded, 1 active, 0 failed...".into()
            )
        );
        let complete = json!({"succeeded": 1, "conditions": [
            {"type": "SuccessCriteriaMet", "status": "True"}, {"type": "Complete", "status": "True"}]});
        assert_eq!(job_status(&job(json!({}), complete)), RolloutStatus::Done("job \"migrate\" completed".into()));
        let failed = json!({"failed": 7, "conditions": [
            {"type": "FailureTarget", "status": "True", "reason": "BackoffLimitExceeded"},
            {"type": "Failed", "status": "True", "reason": "BackoffLimitExceeded", "message": "Job has reached the specified backoff limit"}]});
        assert_eq!(
            job_status(&job(json!({}), failed)),
            RolloutStatus::Failed(
                "job \"migrate\" failed: BackoffLimitExceeded: Job has reached the specified backoff limit".into()
            )
        );
        // A condition that is there but not true says nothing yet.
        let not_yet = json!({"active": 1, "conditions": [{"type": "Complete", "status": "False"}]});
        assert!(!job_status(&job(json!({}), not_yet)).is_done());
    }

    #[test]
    fn a_suspended_job_says_why_it_does_not_progress() {
        let message = job_status(&job(json!({"suspend": true, "completions": 3}), json!({}))).message().to_string();
        assert!(message.contains("suspended"), "{message}");
        assert_eq!(
            job_status(&job(json!({"completions": 3}), json!({"succeeded": 2, "active": 1}))).message(),
            "Waiting for job \"migrate\" to complete: 2 of 3 succeeded, 1 active, 0 failed..."
        );
    }
}
