//! Ownership as an ApplySet (KEP-3659, as kubectl implements it): a parent Secret in the set's
//! namespace lists the group-kinds and namespaces of its members, and every member carries the
//! parent's ID as a label. Prune, status and delete find members by that label.

use super::client::Target;
use super::errors::ClusterError;
use super::resources::{resolve_group_kind, Resolved};
use base64::Engine;
use k8s_openapi::api::core::v1::Secret;
use kube::api::{DynamicObject, ListParams, Patch, PatchParams};
use kube::{Api, ResourceExt};
use kubeplay_core::resource::GroupKind;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};

pub const PART_OF_LABEL: &str = "applyset.kubernetes.io/part-of";
pub const ID_LABEL: &str = "applyset.kubernetes.io/id";
pub const TOOLING_ANNOTATION: &str = "applyset.kubernetes.io/tooling";
pub const GROUP_KINDS_ANNOTATION: &str = "applyset.kubernetes.io/contains-group-kinds";
pub const NAMESPACES_ANNOTATION: &str = "applyset.kubernetes.io/additional-namespaces";

/// `kubeplay/v<version>`: tools refuse to change sets another tool owns.
pub fn tooling() -> String {
    format!("{}/v{}", kubeplay_core::render::MANAGER, env!("CARGO_PKG_VERSION"))
}

/// One set: its parent's place and ID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplySet {
    /// Name of the parent Secret.
    pub name: String,
    pub namespace: String,
    pub id: String,
}

impl ApplySet {
    /// The set of release `release` with its parent in `namespace`.
    pub fn new(release: &str, namespace: &str) -> Self {
        let name = format!("applyset-{release}");
        let id = id(&name, namespace, "Secret", "");
        ApplySet { name, namespace: namespace.to_string(), id }
    }

    /// Selects the members.
    pub fn selector(&self) -> String {
        format!("{PART_OF_LABEL}={}", self.id)
    }

    /// How the parent is named in messages.
    pub fn describe(&self) -> String {
        format!("ApplySet {} (Secret {}/{})", self.id, self.namespace, self.name)
    }

    /// The parent Secret as applied: labels and annotations only, no data.
    pub fn parent_body(&self, kinds: &BTreeSet<GroupKind>, namespaces: &BTreeSet<String>) -> serde_json::Value {
        // Sorted as text, as kubectl writes it.
        let mut kinds: Vec<String> = kinds.iter().map(ToString::to_string).collect();
        kinds.sort();
        let mut annotations = serde_json::Map::new();
        annotations.insert(TOOLING_ANNOTATION.into(), tooling().into());
        annotations.insert(GROUP_KINDS_ANNOTATION.into(), kinds.join(",").into());
        let others: Vec<&str> = namespaces.iter().map(String::as_str).filter(|n| *n != self.namespace).collect();
        if !others.is_empty() {
            annotations.insert(NAMESPACES_ANNOTATION.into(), others.join(",").into());
        }
        serde_json::json!({
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {
                "name": self.name,
                "namespace": self.namespace,
                "labels": {ID_LABEL: self.id, "app.kubernetes.io/managed-by": kubeplay_core::render::MANAGER},
                "annotations": annotations,
            },
        })
    }
}

/// `applyset-<base64url(sha256(name.namespace.kind.group))>-v1`, the ID kubectl computes.
pub fn id(name: &str, namespace: &str, kind: &str, group: &str) -> String {
    let hash = Sha256::digest(format!("{name}.{namespace}.{kind}.{group}").as_bytes());
    format!("applyset-{}-v1", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(hash))
}

/// What the parent on the cluster records.
#[derive(Debug, Clone, Default)]
pub struct Recorded {
    pub kinds: BTreeSet<GroupKind>,
    /// The parent's namespace and the additional ones.
    pub namespaces: BTreeSet<String>,
}

/// Read the parent, refusing one that another tool manages or whose ID does not match.
pub async fn read_parent(target: &Target, set: &ApplySet) -> Result<Option<Recorded>, ClusterError> {
    let api: Api<Secret> = Api::namespaced(target.client.clone(), &set.namespace);
    let parent = api.get_opt(&set.name).await.map_err(|e| target.error(&format!("read {}", set.describe()), e))?;
    let Some(parent) = parent else {
        return Ok(None);
    };
    let annotations = parent.annotations();
    let tooling = annotations.get(TOOLING_ANNOTATION).map(String::as_str).unwrap_or("");
    let tool = tooling.rsplit_once('/').map(|(t, _)| t).unwrap_or(tooling);
    if tool != kubeplay_core::render::MANAGER {
        return Err(ClusterError::Usage(format!(
            "Secret {}/{} exists but is not a kubeplay ApplySet parent (tooling `{tooling}`): rename the release with --release, or delete that Secret",
            set.namespace, set.name
        )));
    }
    if parent.labels().get(ID_LABEL) != Some(&set.id) {
        return Err(ClusterError::Usage(format!(
            "Secret {}/{} has the wrong `{ID_LABEL}` label for this set: it was not created by kubeplay for this release",
            set.namespace, set.name
        )));
    }
    let kinds = annotations
        .get(GROUP_KINDS_ANNOTATION)
        .map(|s| s.split(',').map(str::trim).filter_map(GroupKind::parse).collect())
        .unwrap_or_default();
    let mut namespaces: BTreeSet<String> = annotations
        .get(NAMESPACES_ANNOTATION)
        .map(|s| s.split(',').map(str::trim).filter(|n| !n.is_empty()).map(str::to_string).collect())
        .unwrap_or_default();
    namespaces.insert(set.namespace.clone());
    Ok(Some(Recorded { kinds, namespaces }))
}

/// Apply the parent with these kinds and namespaces.
pub async fn write_parent(
    target: &Target,
    set: &ApplySet,
    kinds: &BTreeSet<GroupKind>,
    namespaces: &BTreeSet<String>,
) -> Result<(), ClusterError> {
    let api: Api<Secret> = Api::namespaced(target.client.clone(), &set.namespace);
    let params = PatchParams::apply(kubeplay_core::render::MANAGER).force();
    api.patch(&set.name, &params, &Patch::Apply(set.parent_body(kinds, namespaces)))
        .await
        .map_err(|e| target.error(&format!("write {}", set.describe()), e))?;
    Ok(())
}

/// A member found on the cluster.
#[derive(Debug, Clone)]
pub struct LiveMember {
    pub resolved: Resolved,
    pub object: DynamicObject,
}

impl LiveMember {
    pub fn kind(&self) -> &str {
        &self.resolved.resource.kind
    }
    pub fn name(&self) -> String {
        self.object.name_any()
    }
    pub fn namespace(&self) -> Option<String> {
        self.object.namespace()
    }
    /// (group, kind, namespace, name): compares with planned members.
    pub fn key(&self) -> (String, String, String, String) {
        (
            self.resolved.resource.group.clone(),
            self.kind().to_string(),
            self.namespace().unwrap_or_default(),
            self.name(),
        )
    }
    pub fn api(&self, target: &Target) -> Api<DynamicObject> {
        match self.namespace() {
            Some(ns) if self.resolved.namespaced => {
                Api::namespaced_with(target.client.clone(), &ns, &self.resolved.resource)
            }
            _ => Api::all_with(target.client.clone(), &self.resolved.resource),
        }
    }
}

/// Every object labelled as a member, across the recorded kinds and namespaces.
pub async fn list_members(
    target: &Target,
    set: &ApplySet,
    recorded: &Recorded,
) -> Result<Vec<LiveMember>, ClusterError> {
    let params = ListParams::default().labels(&set.selector());
    let mut members = Vec::new();
    let mut seen = BTreeMap::new();
    for gk in &recorded.kinds {
        let resolved = resolve_group_kind(target, gk).await?;
        let scopes: Vec<Option<&String>> =
            if resolved.namespaced { recorded.namespaces.iter().map(Some).collect() } else { vec![None] };
        for namespace in scopes {
            let api: Api<DynamicObject> = match namespace {
                Some(ns) => Api::namespaced_with(target.client.clone(), ns, &resolved.resource),
                None => Api::all_with(target.client.clone(), &resolved.resource),
            };
            let list = match api.list(&params).await {
                Ok(list) => list,
                // A namespace deleted by hand, or a kind whose CRD is gone: nothing to find there.
                Err(kube::Error::Api(status)) if status.code == 404 => continue,
                Err(e) => return Err(target.error(&format!("list {gk} of {}", set.describe()), e)),
            };
            for object in list.items {
                let member = LiveMember { resolved: resolved.clone(), object };
                if seen.insert(member.key(), ()).is_none() {
                    members.push(member);
                }
            }
        }
    }
    Ok(members)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_follow_kubectl() {
        // sha256("applyset-x.ns.Secret.") in URL-safe base64 without padding, between the
        // prefix and suffix the KEP fixes.
        let id = id("applyset-x", "ns", "Secret", "");
        assert!(id.starts_with("applyset-") && id.ends_with("-v1"), "{id}");
        assert_eq!(id.len(), "applyset-".len() + 43 + "-v1".len());
        assert!(!id.contains('+') && !id.contains('/') && !id.contains('='));
        assert_ne!(id, super::id("applyset-x", "other", "Secret", ""));
    }

    #[test]
    fn group_kinds_print_and_parse_like_the_annotation() {
        let gk = GroupKind::new("apps", "Deployment");
        assert_eq!(gk.to_string(), "Deployment.apps");
        assert_eq!(GroupKind::parse("Deployment.apps"), Some(gk));
        assert_eq!(GroupKind::parse("Secret"), Some(GroupKind::new("", "Secret")));
        assert_eq!(GroupKind::parse("Ingress.networking.k8s.io"), Some(GroupKind::new("networking.k8s.io", "Ingress")));
        assert_eq!(GroupKind::parse(""), None);
    }

    #[test]
    fn parent_lists_kinds_sorted_and_other_namespaces_only() {
        let set = ApplySet::new("todo", "todo");
        let kinds: BTreeSet<GroupKind> =
            [GroupKind::new("apps", "Deployment"), GroupKind::new("", "Namespace"), GroupKind::new("", "Secret")]
                .into();
        let body = set.parent_body(&kinds, &["todo".to_string()].into());
        let annotations = &body["metadata"]["annotations"];
        assert_eq!(annotations[GROUP_KINDS_ANNOTATION], "Deployment.apps,Namespace,Secret");
        assert!(annotations.get(NAMESPACES_ANNOTATION).is_none());
        assert_eq!(body["metadata"]["labels"][ID_LABEL], set.id.as_str());
    }
}
