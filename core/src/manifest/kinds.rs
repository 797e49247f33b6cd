//! The pod-making kinds other than Deployment, stored in one shape: the pod template and the few
//! fields of each kind that kubeplay reads (StatefulSet's Service and claims, a Job's
//! completions, a CronJob's schedule).

use k8s_openapi::api::core::v1::{PersistentVolumeClaim, PodTemplateSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};

/// Every kind that makes pods. Deployment is here for the view ([`super::workload`]); it is
/// stored as k8s-openapi's `Deployment`, which render writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum WorkloadKind {
    Deployment,
    StatefulSet,
    DaemonSet,
    ReplicaSet,
    ReplicationController,
    /// OpenShift's `apps.openshift.io/v1` DeploymentConfig: a ReplicationController's shape.
    DeploymentConfig,
    Job,
    CronJob,
    #[default]
    Pod,
}

impl WorkloadKind {
    pub const ALL: [WorkloadKind; 9] = [
        WorkloadKind::Deployment,
        WorkloadKind::StatefulSet,
        WorkloadKind::DaemonSet,
        WorkloadKind::ReplicaSet,
        WorkloadKind::ReplicationController,
        WorkloadKind::DeploymentConfig,
        WorkloadKind::Job,
        WorkloadKind::CronJob,
        WorkloadKind::Pod,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            WorkloadKind::Deployment => "Deployment",
            WorkloadKind::StatefulSet => "StatefulSet",
            WorkloadKind::DaemonSet => "DaemonSet",
            WorkloadKind::ReplicaSet => "ReplicaSet",
            WorkloadKind::ReplicationController => "ReplicationController",
            WorkloadKind::DeploymentConfig => "DeploymentConfig",
            WorkloadKind::Job => "Job",
            WorkloadKind::CronJob => "CronJob",
            WorkloadKind::Pod => "Pod",
        }
    }

    pub fn group(self) -> &'static str {
        crate::resource::kind_info(self.as_str()).map_or("", |k| k.group)
    }

    /// The workload kind of an `apiVersion` and `kind`, any version of its group (old
    /// `extensions/v1beta1` Deployments make pods all the same).
    pub fn of(api_version: &str, kind: &str) -> Option<WorkloadKind> {
        let group = crate::resource::api_group(api_version);
        let kind = WorkloadKind::ALL.into_iter().find(|k| k.as_str() == kind)?;
        let extensions = matches!(kind, WorkloadKind::Deployment | WorkloadKind::DaemonSet | WorkloadKind::ReplicaSet)
            && group == "extensions";
        (group == kind.group() || extensions).then_some(kind)
    }

    /// Where the pod template sits: its `metadata` and `spec` are below this path (the object's
    /// root for a Pod).
    pub fn template_path(self) -> &'static [&'static str] {
        match self {
            WorkloadKind::Pod => &[],
            WorkloadKind::CronJob => &["spec", "jobTemplate", "spec", "template"],
            _ => &["spec", "template"],
        }
    }

    /// Whether its selector is a plain label map (`spec.selector: {app: web}`) rather than a
    /// LabelSelector.
    pub fn has_map_selector(self) -> bool {
        matches!(self, WorkloadKind::ReplicationController | WorkloadKind::DeploymentConfig)
    }

    /// Whether it keeps a number of replicas running (`spec.replicas`); DaemonSets run one per
    /// node, Jobs and Pods are not replicated.
    pub fn keeps_replicas(self) -> bool {
        matches!(
            self,
            WorkloadKind::Deployment
                | WorkloadKind::StatefulSet
                | WorkloadKind::ReplicaSet
                | WorkloadKind::ReplicationController
                | WorkloadKind::DeploymentConfig
        )
    }

    /// Whether its pods run to completion rather than forever.
    pub fn runs_to_completion(self) -> bool {
        matches!(self, WorkloadKind::Job | WorkloadKind::CronJob)
    }
}

/// A pod-making object other than a Deployment, as read.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PodController {
    pub kind: WorkloadKind,
    pub api_version: String,
    pub metadata: ObjectMeta,
    pub replicas: Option<i32>,
    /// Map selectors (ReplicationController, DeploymentConfig) are read as `matchLabels`.
    pub selector: Option<LabelSelector>,
    /// A Pod's own spec is its template's (the template's metadata is then `None`: a Pod's
    /// labels are its own).
    pub template: PodTemplateSpec,
    /// StatefulSet: the governing headless Service.
    pub service_name: Option<String>,
    /// StatefulSet: the claims each pod gets (by name they count as volumes of the pod; a read
    /// one keeps only its name).
    pub volume_claim_templates: Vec<PersistentVolumeClaim>,
    pub pod_management_policy: Option<String>,
    /// Job (and a CronJob's job template).
    pub completions: Option<i32>,
    pub parallelism: Option<i32>,
    pub backoff_limit: Option<i32>,
    /// CronJob.
    pub schedule: Option<String>,
    pub suspend: Option<bool>,
    pub concurrency_policy: Option<String>,
    pub successful_jobs_history_limit: Option<i32>,
    pub failed_jobs_history_limit: Option<i32>,
}

impl PodController {
    /// The names of the claims each pod gets.
    pub fn claim_template_names(&self) -> impl Iterator<Item = &str> {
        self.volume_claim_templates.iter().filter_map(|c| c.metadata.name.as_deref())
    }
}

/// Whether `claim` is one StatefulSet `set` made from its claim template `template` for one of
/// its pods: `<template>-<set>-<ordinal>`.
pub fn is_stateful_claim(claim: &str, set: &str, template: &str) -> bool {
    let ordinal = claim.strip_prefix(template).and_then(|r| r.strip_prefix('-')).and_then(|r| r.strip_prefix(set));
    ordinal.and_then(|r| r.strip_prefix('-')).is_some_and(|o| !o.is_empty() && o.bytes().all(|b| b.is_ascii_digit()))
}

impl From<PodController> for super::Object {
    fn from(workload: PodController) -> Self {
        super::Object::Workload(Box::new(workload))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_statefulset_claim_is_template_set_and_ordinal() {
        assert!(is_stateful_claim("data-db-0", "db", "data"));
        assert!(is_stateful_claim("data-db-12", "db", "data"));
        assert!(!is_stateful_claim("data-dbx-0", "db", "data"));
        assert!(!is_stateful_claim("data-db-", "db", "data"));
        assert!(!is_stateful_claim("data-db-a", "db", "data"));
    }

    #[test]
    fn kinds_are_known_by_group_in_any_version() {
        assert_eq!(WorkloadKind::of("apps/v1", "StatefulSet"), Some(WorkloadKind::StatefulSet));
        assert_eq!(WorkloadKind::of("extensions/v1beta1", "Deployment"), Some(WorkloadKind::Deployment));
        assert_eq!(WorkloadKind::of("batch/v1beta1", "CronJob"), Some(WorkloadKind::CronJob));
        assert_eq!(WorkloadKind::of("v1", "Pod"), Some(WorkloadKind::Pod));
        assert_eq!(WorkloadKind::of("apps.openshift.io/v1", "DeploymentConfig"), Some(WorkloadKind::DeploymentConfig));
        assert_eq!(WorkloadKind::of("example.com/v1", "Deployment"), None);
        assert_eq!(WorkloadKind::of("v1", "Deployment"), None);
    }
}
