//! Kinds to API resources (URL path, plural, scope): a table for the kinds kubeplay renders and
//! their neighbours, API discovery for anything else.

use super::client::Target;
use super::errors::ClusterError;
use k8s_openapi::api::apps::v1::{DaemonSet, Deployment, ReplicaSet, StatefulSet};
use k8s_openapi::api::batch::v1::{CronJob, Job};
use k8s_openapi::api::core::v1::{ConfigMap, Namespace, PersistentVolumeClaim, Pod, Secret, Service, ServiceAccount};
use k8s_openapi::api::networking::v1::Ingress;
use kube::api::ApiResource;
use kube::core::GroupVersionKind;
use kube::discovery::{self, Scope};
use std::fmt;

/// A group and kind, as the ApplySet annotation lists them: `Deployment.apps`, `Secret`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct GroupKind {
    pub group: String,
    pub kind: String,
}

impl GroupKind {
    pub fn new(group: &str, kind: &str) -> Self {
        GroupKind { group: group.to_string(), kind: kind.to_string() }
    }
    /// Parse `Kind.group` or `Kind`.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let (kind, group) = text.split_once('.').unwrap_or((text, ""));
        (!kind.is_empty()).then(|| GroupKind::new(group, kind))
    }
}

impl fmt::Display for GroupKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.group.is_empty() {
            f.write_str(&self.kind)
        } else {
            write!(f, "{}.{}", self.kind, self.group)
        }
    }
}

/// An API resource and whether its objects live in a namespace.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub resource: ApiResource,
    pub namespaced: bool,
}

impl Resolved {
    pub fn group_kind(&self) -> GroupKind {
        GroupKind::new(&self.resource.group, &self.resource.kind)
    }
}

fn known() -> Vec<Resolved> {
    let cluster = |resource: ApiResource| Resolved { resource, namespaced: false };
    let namespaced = |resource: ApiResource| Resolved { resource, namespaced: true };
    vec![
        cluster(ApiResource::erase::<Namespace>(&())),
        namespaced(ApiResource::erase::<Secret>(&())),
        namespaced(ApiResource::erase::<ConfigMap>(&())),
        namespaced(ApiResource::erase::<Service>(&())),
        namespaced(ApiResource::erase::<Deployment>(&())),
        namespaced(ApiResource::erase::<ServiceAccount>(&())),
        namespaced(ApiResource::erase::<PersistentVolumeClaim>(&())),
        namespaced(ApiResource::erase::<Pod>(&())),
        namespaced(ApiResource::erase::<ReplicaSet>(&())),
        namespaced(ApiResource::erase::<StatefulSet>(&())),
        namespaced(ApiResource::erase::<DaemonSet>(&())),
        namespaced(ApiResource::erase::<Job>(&())),
        namespaced(ApiResource::erase::<CronJob>(&())),
        namespaced(ApiResource::erase::<Ingress>(&())),
    ]
}

/// The resource of `apiVersion` + `kind`.
pub async fn resolve(target: &Target, api_version: &str, kind: &str) -> Result<Resolved, ClusterError> {
    if let Some(found) = known().into_iter().find(|r| r.resource.api_version == api_version && r.resource.kind == kind)
    {
        return Ok(found);
    }
    let (group, version) = api_version.split_once('/').unwrap_or(("", api_version));
    let gvk = GroupVersionKind::gvk(group, version, kind);
    match discovery::pinned_kind(&target.client, &gvk).await {
        Ok((resource, caps)) => Ok(Resolved { resource, namespaced: caps.scope == Scope::Namespaced }),
        Err(kube::Error::Api(status)) if status.code == 404 => Err(not_served(api_version, kind)),
        Err(kube::Error::Discovery(_)) => Err(not_served(api_version, kind)),
        Err(e) => Err(target.error(&format!("look up {kind} ({api_version})"), e)),
    }
}

/// The preferred resource of a group and kind (for ApplySet members listed by group-kind).
pub async fn resolve_group_kind(target: &Target, gk: &GroupKind) -> Result<Resolved, ClusterError> {
    if let Some(found) = known().into_iter().find(|r| r.resource.group == gk.group && r.resource.kind == gk.kind) {
        return Ok(found);
    }
    match discovery::group(&target.client, &gk.group).await {
        Ok(group) => match group.recommended_kind(&gk.kind) {
            Some((resource, caps)) => Ok(Resolved { resource, namespaced: caps.scope == Scope::Namespaced }),
            None => Err(not_served(&gk.group, &gk.kind)),
        },
        Err(kube::Error::Api(status)) if status.code == 404 => Err(not_served(&gk.group, &gk.kind)),
        Err(kube::Error::Discovery(_)) => Err(not_served(&gk.group, &gk.kind)),
        Err(e) => Err(target.error(&format!("look up {gk}"), e)),
    }
}

fn not_served(api: &str, kind: &str) -> ClusterError {
    ClusterError::Usage(format!("the cluster does not serve {kind} ({api}): is its CustomResourceDefinition installed, or is the apiVersion misspelled?"))
}
