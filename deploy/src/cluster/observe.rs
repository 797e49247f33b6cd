//! One look at a namespace: the set's workloads (Deployments, StatefulSets, DaemonSets, Jobs),
//! their current pods, events, Services and EndpointSlices, and the previous logs of crashing
//! containers. Core explains what it means.

use super::client::Target;
use super::errors::ClusterError;
use k8s_openapi::api::apps::v1::{DaemonSet, Deployment, ReplicaSet, StatefulSet};
use k8s_openapi::api::batch::v1::Job;
use k8s_openapi::api::core::v1::{Event, Pod, Service};
use k8s_openapi::api::discovery::v1::EndpointSlice;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use kube::api::{ListParams, LogParams};
use kube::{Api, ResourceExt};
use kubeplay_core::diagnose::{self, DiagnoseContext, Diagnosis};
use kubeplay_core::manifest::WorkloadKind;
use kubeplay_core::rollout as rollout_kinds;
use kubeplay_core::rollout::{self, RolloutStatus};
use std::collections::BTreeMap;

/// How many lines of a crashed container's previous run to show.
const LOG_TAIL_LINES: i64 = 20;
/// The annotation the deployment controller numbers revisions with, on Deployments and their
/// ReplicaSets alike.
const REVISION_ANNOTATION: &str = "deployment.kubernetes.io/revision";
const POD_TEMPLATE_HASH: &str = "pod-template-hash";

/// The workload kinds whose progress kubeplay can judge (each has a verdict in [`Observed::rollouts`]).
pub const FOLLOWED: [WorkloadKind; 4] =
    [WorkloadKind::Deployment, WorkloadKind::StatefulSet, WorkloadKind::DaemonSet, WorkloadKind::Job];

/// The followed workload kind of an API group and kind (`apps`, `StatefulSet`).
pub fn followed_kind(group: &str, kind: &str) -> Option<WorkloadKind> {
    FOLLOWED.into_iter().find(|k| k.as_str() == kind && k.group() == group)
}

/// What to look at in one namespace.
#[derive(Debug, Clone, Default)]
pub struct Wanted {
    /// Workloads of the [`FOLLOWED`] kinds, by name.
    pub workloads: Vec<(WorkloadKind, String)>,
    /// Services, by name.
    pub services: Vec<String>,
}

impl Wanted {
    /// Take a member by its API group, kind and name if it is something to look at; `jobs`
    /// says whether Jobs are.
    pub fn add(&mut self, group: &str, kind: &str, name: String, jobs: bool) {
        match followed_kind(group, kind) {
            Some(WorkloadKind::Job) if !jobs => {}
            Some(kind) => self.workloads.push((kind, name)),
            None if group.is_empty() && kind == "Service" => self.services.push(name),
            None => {}
        }
    }
    pub fn is_empty(&self) -> bool {
        self.workloads.is_empty() && self.services.is_empty()
    }
}

/// What one namespace looked like.
#[derive(Debug, Clone, Default)]
pub struct Observed {
    pub namespace: String,
    /// The workloads found, with status.
    pub deployments: Vec<Deployment>,
    pub stateful_sets: Vec<StatefulSet>,
    pub daemon_sets: Vec<DaemonSet>,
    pub jobs: Vec<Job>,
    /// Workloads asked for but not found.
    pub missing: Vec<(WorkloadKind, String)>,
    /// Current pods of each workload found.
    pub pods: BTreeMap<(WorkloadKind, String), Vec<Pod>>,
    pub events: Vec<Event>,
    pub services: Vec<Service>,
    pub endpoint_slices: Option<Vec<EndpointSlice>>,
    pub previous_logs: BTreeMap<(String, String), String>,
}

impl Observed {
    pub fn all_pods(&self) -> Vec<Pod> {
        self.pods.values().flatten().cloned().collect()
    }

    /// The current pods of one workload.
    pub fn pods_of(&self, kind: WorkloadKind, name: &str) -> &[Pod] {
        self.pods.get(&(kind, name.to_string())).map_or(&[], Vec::as_slice)
    }

    /// Core's diagnoses of everything seen.
    pub fn diagnose(&self, minikube: bool) -> Vec<Diagnosis> {
        let mut context = DiagnoseContext::new(&self.namespace, minikube);
        context.deployments = self.deployments.clone();
        context.services = self.services.clone();
        context.endpoint_slices = self.endpoint_slices.clone();
        context.previous_logs = self.previous_logs.clone();
        diagnose::diagnose(&self.all_pods(), &self.events, &context)
    }

    /// Where each workload asked for stands: found ones by their kind's rules, missing ones
    /// waiting. In the order asked for.
    pub fn rollouts(&self) -> Vec<(WorkloadKind, String, RolloutStatus)> {
        let mut out: Vec<(WorkloadKind, String, RolloutStatus)> = Vec::new();
        out.extend(self.deployments.iter().map(|d| (WorkloadKind::Deployment, d.name_any(), rollout::status(d))));
        out.extend(
            self.stateful_sets
                .iter()
                .map(|s| (WorkloadKind::StatefulSet, s.name_any(), rollout_kinds::stateful_set_status(s))),
        );
        out.extend(
            self.daemon_sets
                .iter()
                .map(|d| (WorkloadKind::DaemonSet, d.name_any(), rollout_kinds::daemon_set_status(d))),
        );
        out.extend(self.jobs.iter().map(|j| (WorkloadKind::Job, j.name_any(), rollout_kinds::job_status(j))));
        for (kind, name) in &self.missing {
            let word = kind.as_str().to_lowercase();
            out.push((*kind, name.clone(), RolloutStatus::Waiting(format!("{word} {name:?} does not exist (yet)"))));
        }
        out
    }

    /// The verdict of one workload, if it was looked at.
    pub fn rollout_of(&self, kind: WorkloadKind, name: &str) -> Option<RolloutStatus> {
        self.rollouts().into_iter().find(|(k, n, _)| *k == kind && n == name).map(|(_, _, s)| s)
    }
}

/// A label selector as a `labelSelector` query: `a=b,c in (d,e),!f`.
pub fn selector_query(selector: &LabelSelector) -> String {
    let mut terms: Vec<String> = selector.match_labels.iter().flatten().map(|(k, v)| format!("{k}={v}")).collect();
    for e in selector.match_expressions.iter().flatten() {
        let values = e.values.clone().unwrap_or_default().join(",");
        terms.push(match e.operator.as_str() {
            "In" => format!("{} in ({values})", e.key),
            "NotIn" => format!("{} notin ({values})", e.key),
            "Exists" => e.key.clone(),
            _ => format!("!{}", e.key),
        });
    }
    terms.join(",")
}

/// Look at what `wanted` names in `namespace`.
pub async fn observe(target: &Target, namespace: &str, wanted: &Wanted) -> Result<Observed, ClusterError> {
    let client = target.client.clone();
    let fail = |what: String, e| target.error(&format!("read {what}"), e);
    let of = |kind: &str, name: &str| format!("{kind} {namespace}/{name}");
    let mut observed = Observed { namespace: namespace.to_string(), ..Default::default() };

    let pod_api: Api<Pod> = Api::namespaced(client.clone(), namespace);
    for (kind, name) in &wanted.workloads {
        let key = (*kind, name.clone());
        match kind {
            WorkloadKind::Deployment => {
                let api: Api<Deployment> = Api::namespaced(client.clone(), namespace);
                let Some(deployment) = api.get_opt(name).await.map_err(|e| fail(of("Deployment", name), e))? else {
                    observed.missing.push(key);
                    continue;
                };
                let (pods, params) = selected_pods(&pod_api, deployment.spec.as_ref().map(|s| &s.selector))
                    .await
                    .map_err(|e| fail(format!("the pods of {}", of(kind.as_str(), name)), e))?;
                let pods = if pods.is_empty() {
                    pods
                } else {
                    let replica_set_api: Api<ReplicaSet> = Api::namespaced(client.clone(), namespace);
                    let replica_sets = replica_set_api
                        .list(&params)
                        .await
                        .map_err(|e| fail(format!("the ReplicaSets of {}", of("Deployment", name)), e))?
                        .items;
                    current_pods(&deployment, &replica_sets, pods)
                };
                observed.pods.insert(key, pods);
                observed.deployments.push(deployment);
            }
            WorkloadKind::StatefulSet => {
                let api: Api<StatefulSet> = Api::namespaced(client.clone(), namespace);
                let Some(sts) = api.get_opt(name).await.map_err(|e| fail(of("StatefulSet", name), e))? else {
                    observed.missing.push(key);
                    continue;
                };
                let (pods, _) = selected_pods(&pod_api, sts.spec.as_ref().map(|s| &s.selector))
                    .await
                    .map_err(|e| fail(format!("the pods of {}", of(kind.as_str(), name)), e))?;
                observed.pods.insert(key, owned_pods(*kind, name, pods));
                observed.stateful_sets.push(sts);
            }
            WorkloadKind::DaemonSet => {
                let api: Api<DaemonSet> = Api::namespaced(client.clone(), namespace);
                let Some(ds) = api.get_opt(name).await.map_err(|e| fail(of("DaemonSet", name), e))? else {
                    observed.missing.push(key);
                    continue;
                };
                let (pods, _) = selected_pods(&pod_api, ds.spec.as_ref().map(|s| &s.selector))
                    .await
                    .map_err(|e| fail(format!("the pods of {}", of(kind.as_str(), name)), e))?;
                observed.pods.insert(key, owned_pods(*kind, name, pods));
                observed.daemon_sets.push(ds);
            }
            WorkloadKind::Job => {
                let api: Api<Job> = Api::namespaced(client.clone(), namespace);
                let Some(job) = api.get_opt(name).await.map_err(|e| fail(of("Job", name), e))? else {
                    observed.missing.push(key);
                    continue;
                };
                // The API server writes a Job's selector (its controller-uid label).
                let (pods, _) = selected_pods(&pod_api, job.spec.as_ref().and_then(|s| s.selector.as_ref()))
                    .await
                    .map_err(|e| fail(format!("the pods of {}", of(kind.as_str(), name)), e))?;
                observed.pods.insert(key, owned_pods(*kind, name, pods));
                observed.jobs.push(job);
            }
            // Not followed (see FOLLOWED): nothing says when they are done.
            _ => {}
        }
    }

    let service_api: Api<Service> = Api::namespaced(client.clone(), namespace);
    for name in &wanted.services {
        if let Some(service) = service_api.get_opt(name).await.map_err(|e| fail(of("Service", name), e))? {
            observed.services.push(service);
        }
    }
    // Users without the right to list events or slices still get the pod diagnoses.
    let event_api: Api<Event> = Api::namespaced(client.clone(), namespace);
    observed.events = match event_api.list(&ListParams::default()).await {
        Ok(list) => list.items,
        Err(kube::Error::Api(s)) if s.code == 403 || s.code == 404 => Vec::new(),
        Err(e) => return Err(fail(format!("the events in namespace {namespace}"), e)),
    };
    let slice_api: Api<EndpointSlice> = Api::namespaced(client.clone(), namespace);
    observed.endpoint_slices = match slice_api.list(&ListParams::default()).await {
        Ok(list) => Some(list.items),
        Err(kube::Error::Api(s)) if s.code == 403 || s.code == 404 => None,
        Err(e) => return Err(fail(format!("the EndpointSlices in namespace {namespace}"), e)),
    };

    // The reason a container crashes is in its previous run's log.
    for pod in observed.pods.values().flatten() {
        for status in pod.status.iter().flat_map(|s| s.container_statuses.iter().flatten()) {
            let crashing = status
                .state
                .as_ref()
                .and_then(|s| s.waiting.as_ref())
                .is_some_and(|w| w.reason.as_deref() == Some("CrashLoopBackOff"));
            if !crashing {
                continue;
            }
            let params = LogParams {
                container: Some(status.name.clone()),
                previous: true,
                tail_lines: Some(LOG_TAIL_LINES),
                ..Default::default()
            };
            // A log that cannot be read (rotated, runtime gone) only loses the evidence.
            if let Ok(text) = pod_api.logs(&pod.name_any(), &params).await {
                observed.previous_logs.insert((pod.name_any(), status.name.clone()), text);
            }
        }
    }
    Ok(observed)
}

/// The pods `selector` selects, and the list parameters that selected them. An absent or empty
/// selector selects nothing here: it would list every pod of the namespace.
async fn selected_pods(
    api: &Api<Pod>,
    selector: Option<&LabelSelector>,
) -> Result<(Vec<Pod>, ListParams), kube::Error> {
    let query = selector.map(selector_query).unwrap_or_default();
    if query.is_empty() {
        return Ok((Vec::new(), ListParams::default()));
    }
    let params = ListParams::default().labels(&query);
    Ok((api.list(&params).await?.items, params))
}

/// The pods of the Deployment's newest ReplicaSet, leaving out pods being deleted: pods of an
/// older revision going away must not stop a rollout that fixes them. When the ReplicaSets do
/// not tell (none yet), every matching pod counts.
fn current_pods(deployment: &Deployment, replica_sets: &[ReplicaSet], pods: Vec<Pod>) -> Vec<Pod> {
    let revision = deployment.annotations().get(REVISION_ANNOTATION).cloned();
    let owned = |rs: &ReplicaSet| {
        rs.owner_references()
            .iter()
            .any(|o| o.kind == "Deployment" && Some(&o.name) == deployment.metadata.name.as_ref())
    };
    let hash = revision.and_then(|revision| {
        replica_sets
            .iter()
            .filter(|rs| owned(rs))
            .find(|rs| rs.annotations().get(REVISION_ANNOTATION) == Some(&revision))
            .and_then(|rs| rs.labels().get(POD_TEMPLATE_HASH).cloned())
    });
    pods.into_iter()
        .filter(|p| p.metadata.deletion_timestamp.is_none())
        .filter(|p| hash.as_ref().is_none_or(|h| p.labels().get(POD_TEMPLATE_HASH) == Some(h)))
        .collect()
}

/// The pods a StatefulSet, DaemonSet or Job made itself (its owner reference names it), leaving
/// out pods being deleted. Selectors of two workloads may overlap; ownership does not.
fn owned_pods(kind: WorkloadKind, name: &str, pods: Vec<Pod>) -> Vec<Pod> {
    pods.into_iter()
        .filter(|p| p.metadata.deletion_timestamp.is_none())
        .filter(|p| p.owner_references().iter().any(|o| o.kind == kind.as_str() && o.name == name))
        .collect()
}

/// `pod web-1: Running, 1/1 ready, 0 restarts` (or the reason a container waits).
pub fn pod_line(pod: &Pod) -> String {
    let status = pod.status.as_ref();
    let containers: Vec<_> = status.iter().flat_map(|s| s.container_statuses.iter().flatten()).collect();
    let ready = containers.iter().filter(|c| c.ready).count();
    let total = pod.spec.as_ref().map(|s| s.containers.len()).unwrap_or(containers.len());
    let restarts: i32 = containers.iter().map(|c| c.restart_count).sum();
    let waiting = containers.iter().find_map(|c| c.state.as_ref()?.waiting.as_ref()?.reason.clone());
    let phase = waiting.or_else(|| status.and_then(|s| s.phase.clone())).unwrap_or_else(|| "Pending".into());
    format!(
        "pod {}: {phase}, {ready}/{total} ready, {restarts} restart{}",
        pod.name_any(),
        if restarts == 1 { "" } else { "s" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selectors_become_queries() {
        let selector: LabelSelector = serde_json::from_value(serde_json::json!({
            "matchLabels": {"app": "web"},
            "matchExpressions": [{"key": "tier", "operator": "In", "values": ["a", "b"]}, {"key": "x", "operator": "DoesNotExist"}]
        }))
        .unwrap();
        assert_eq!(selector_query(&selector), "app=web,tier in (a,b),!x");
    }
}
