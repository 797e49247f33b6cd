//! The objects to send: manifests turned into server-side apply bodies in install order, each
//! with its API resource, its namespace (chosen as kubectl chooses it) and the ApplySet label.

use super::applyset::{ApplySet, PART_OF_LABEL};
use super::client::Target;
use super::errors::ClusterError;
use super::resources::{resolve, Resolved};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use kube::api::DynamicObject;
use kube::Api;
use kubeplay_core::manifest::Object;
use kubeplay_core::resource::GroupKind;
use kubeplay_core::ManifestSet;
use serde_json::Value;
use std::collections::BTreeSet;

/// One object to apply.
#[derive(Debug, Clone)]
pub struct Member {
    pub resolved: Resolved,
    pub name: String,
    /// `None` for cluster-scoped kinds.
    pub namespace: Option<String>,
    /// What is sent: the manifest with its namespace and the ApplySet label set.
    pub body: Value,
    /// A Helm hook's metadata (its annotations alone): when it runs ([`super::hooks`]).
    pub hook: Option<ObjectMeta>,
}

impl Member {
    pub fn kind(&self) -> &str {
        &self.resolved.resource.kind
    }
    pub fn group_kind(&self) -> GroupKind {
        self.resolved.group_kind()
    }
    /// kubectl's way to name it in progress lines: `deployment.apps/web`, `namespace/demo`.
    pub fn id(&self) -> String {
        object_id(&self.resolved, &self.name)
    }
    /// (group, kind, namespace, name): compares with live members.
    pub fn key(&self) -> (String, String, String, String) {
        (
            self.resolved.resource.group.clone(),
            self.kind().to_string(),
            self.namespace.clone().unwrap_or_default(),
            self.name.clone(),
        )
    }
    pub fn api(&self, target: &Target) -> Api<DynamicObject> {
        match &self.namespace {
            Some(ns) => Api::namespaced_with(target.client.clone(), ns, &self.resolved.resource),
            None => Api::all_with(target.client.clone(), &self.resolved.resource),
        }
    }
    /// `Kind namespace/name` for errors.
    pub fn describe(&self) -> String {
        match &self.namespace {
            Some(ns) => format!("{} {ns}/{}", self.kind(), self.name),
            None => format!("{} {}", self.kind(), self.name),
        }
    }
}

/// `deployment.apps/web`, `namespace/demo`.
pub fn object_id(resolved: &Resolved, name: &str) -> String {
    let kind = resolved.resource.kind.to_lowercase();
    if resolved.resource.group.is_empty() {
        format!("{kind}/{name}")
    } else {
        format!("{kind}.{}/{name}", resolved.resource.group)
    }
}

/// Everything an apply sends.
#[derive(Debug, Clone)]
pub struct Plan {
    pub set: ApplySet,
    /// In install order, Namespaces first.
    pub members: Vec<Member>,
}

impl Plan {
    pub fn kinds(&self) -> BTreeSet<GroupKind> {
        self.members.iter().map(Member::group_kind).collect()
    }
    /// Namespaces holding namespaced members, plus the parent's.
    pub fn namespaces(&self) -> BTreeSet<String> {
        let mut namespaces: BTreeSet<String> = self.members.iter().filter_map(|m| m.namespace.clone()).collect();
        namespaces.insert(self.set.namespace.clone());
        namespaces
    }
}

/// Server-set fields a manifest copied from `kubectl get -o yaml` may carry: sending them back
/// would make the apply fail or fight the server.
const SERVER_FIELDS: &[&str] = &[
    "resourceVersion",
    "uid",
    "creationTimestamp",
    "managedFields",
    "generation",
    "selfLink",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
];

/// Install rank of a kind, from core (the one place that knows the order).
pub fn rank_of_kind(kind: &str) -> usize {
    kubeplay_core::manifest::install_rank_of(kind)
}

/// Resolve every object of `manifests` and choose namespaces. `release` names the set.
pub async fn build(target: &Target, manifests: &ManifestSet, release: &str) -> Result<Plan, ClusterError> {
    let mut resources: Vec<&kubeplay_core::manifest::Resource> = manifests.resources.iter().collect();
    // Stable: the input's order stays within a kind.
    resources.sort_by_key(|r| r.object.install_rank());

    // Where objects that do not say go: --namespace, else the set's only Namespace, else the
    // context's namespace (kubectl uses the flag, then the context).
    let own_namespaces: Vec<&str> =
        resources.iter().filter(|r| matches!(r.object, Object::Namespace(_))).map(|r| r.object.name()).collect();
    let fallback = match (&target.namespace_flag, own_namespaces.as_slice()) {
        (Some(flag), _) => flag.clone(),
        (None, [only]) => only.to_string(),
        _ => target.context_namespace.clone(),
    };

    let mut members = Vec::new();
    for resource in resources {
        let object = &resource.object;
        let mut body = resource.to_json();
        let api_version = body["apiVersion"].as_str().unwrap_or_default().to_string();
        let resolved = resolve(target, &api_version, object.kind()).await?;
        let name = object.name().to_string();
        if name.is_empty() {
            return Err(ClusterError::Usage(format!("a {} has no metadata.name", object.kind())));
        }
        let written = object.metadata().namespace.clone().filter(|n| !n.is_empty());
        let namespace = if resolved.namespaced {
            if let (Some(written), Some(flag)) = (&written, &target.namespace_flag) {
                if written != flag {
                    return Err(ClusterError::Usage(format!(
                        "{} {name} says namespace `{written}`, but --namespace is `{flag}`: drop --namespace or pass --namespace {written}",
                        object.kind()
                    )));
                }
            }
            Some(written.unwrap_or_else(|| fallback.clone()))
        } else {
            None
        };
        if let Some(map) = body.as_object_mut() {
            map.remove("status");
        }
        if let Some(meta) = body.get_mut("metadata").and_then(Value::as_object_mut) {
            for field in SERVER_FIELDS {
                meta.remove(*field);
            }
            match &namespace {
                Some(ns) => {
                    meta.insert("namespace".into(), ns.clone().into());
                }
                None => {
                    meta.remove("namespace");
                }
            }
        }
        let hook = kubeplay_core::manifest::hooks::is_hook(object.metadata())
            .then(|| ObjectMeta { annotations: object.metadata().annotations.clone(), ..Default::default() });
        members.push(Member { resolved, name, namespace, body, hook });
    }
    let set_namespace = members.iter().find_map(|m| m.namespace.clone()).unwrap_or(fallback);
    let set = ApplySet::new(release, &set_namespace);
    for member in &mut members {
        member.body["metadata"]["labels"][PART_OF_LABEL] = set.id.clone().into();
    }
    Ok(Plan { set, members })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_rank_like_core() {
        assert!(rank_of_kind("Namespace") < rank_of_kind("Secret"));
        assert!(rank_of_kind("Service") < rank_of_kind("Deployment"));
        assert!(rank_of_kind("ServiceAccount") < rank_of_kind("StatefulSet"));
        assert!(rank_of_kind("Deployment") < rank_of_kind("HorizontalPodAutoscaler"));
        assert!(rank_of_kind("Job") < rank_of_kind("Ingress") && rank_of_kind("Ingress") < rank_of_kind("Widget"));
    }
}
