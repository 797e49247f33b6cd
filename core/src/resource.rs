//! Typed identities: a kind is its API group and name ([`GroupKind`]), a resource is its kind,
//! namespace and name ([`ResourceRef`]). Graph nodes, diagnostics and every index are keyed by
//! these; the kind catalogue ([`KINDS`]) says which kinds are namespaced and in which order Helm
//! installs them.

use serde::Serialize;
use std::borrow::Cow;
use std::fmt;

/// An API group and kind, as the ApplySet annotation writes them: `Deployment.apps`, `Secret`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct GroupKind {
    /// `""` for the core group (`v1`).
    pub group: String,
    pub kind: String,
}

impl GroupKind {
    pub fn new(group: &str, kind: &str) -> Self {
        GroupKind { group: group.to_string(), kind: kind.to_string() }
    }
    /// The group and kind of an object's `apiVersion` and `kind`.
    pub fn of(api_version: &str, kind: &str) -> Self {
        GroupKind::new(api_group(api_version), kind)
    }
    /// `Deployment.apps` or `Secret` back into a group-kind.
    pub fn parse(text: &str) -> Option<Self> {
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

/// The group of an `apiVersion`: `apps` of `apps/v1`, `""` of `v1`.
pub fn api_group(api_version: &str) -> &str {
    api_version.rsplit_once('/').map_or("", |(group, _)| group)
}

/// One resource: group, kind, namespace (`""` for cluster-scoped kinds) and name.
///
/// Written `namespace/Kind/name` (`shop/Deployment/frontend`), or `Kind/name` for cluster-scoped
/// kinds: what diagnostics, the graph and the CLI print.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct ResourceRef {
    /// Borrowed from the catalogue for its kinds: identities are made by the thousand, and
    /// the catalogue's group and kind need no copy.
    pub group: Cow<'static, str>,
    pub kind: Cow<'static, str>,
    pub namespace: String,
    pub name: String,
}

impl ResourceRef {
    pub fn new(group: &str, kind: &str, namespace: &str, name: &str) -> Self {
        let (group, kind) = match KINDS.iter().find(|k| k.kind == kind && k.group == group) {
            Some(known) => (Cow::Borrowed(known.group), Cow::Borrowed(known.kind)),
            None => (Cow::Owned(group.into()), Cow::Owned(kind.into())),
        };
        ResourceRef { group, kind, namespace: namespace.into(), name: name.into() }
    }
    /// A reference to a kind of the catalogue, in `namespace` when the kind is namespaced.
    pub fn to_kind(kind: &str, namespace: &str, name: &str) -> Self {
        let info = kind_info(kind);
        let group = info.map_or("", |k| k.group);
        let namespace = if info.is_some_and(|k| !k.namespaced) { "" } else { namespace };
        ResourceRef::new(group, kind, namespace, name)
    }
    pub fn group_kind(&self) -> GroupKind {
        GroupKind::new(&self.group, &self.kind)
    }
    /// `Kind/name`, without the namespace: how a message names a resource of its own namespace.
    pub fn kind_name(&self) -> String {
        [&*self.kind, "/", self.name.as_str()].concat()
    }
}

impl fmt::Display for ResourceRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.namespace.is_empty() {
            write!(f, "{}/", self.namespace)?;
        }
        write!(f, "{}/{}", self.kind, self.name)
    }
}

/// A reference equals its written form (`ns/Kind/name`).
impl PartialEq<&str> for ResourceRef {
    fn eq(&self, text: &&str) -> bool {
        let (kind_name, namespace) = match text.matches('/').count() {
            1 => (*text, ""),
            _ => match text.split_once('/') {
                Some((namespace, rest)) => (rest, namespace),
                None => return false,
            },
        };
        self.namespace == namespace && kind_name.split_once('/') == Some((&*self.kind, self.name.as_str()))
    }
}

/// What kubeplay knows of a kind without reading any object of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KindInfo {
    pub group: &'static str,
    pub kind: &'static str,
    pub namespaced: bool,
}

const fn kind(group: &'static str, kind: &'static str, namespaced: bool) -> KindInfo {
    KindInfo { group, kind, namespaced }
}

/// Built-in kinds a learner may bring along, with their scope. Kinds outside it (CRDs) are
/// taken to be namespaced, as most custom resources are.
pub static KINDS: &[KindInfo] = &[
    kind("", "Namespace", false),
    kind("", "Node", false),
    kind("", "PersistentVolume", false),
    kind("", "ConfigMap", true),
    kind("", "Secret", true),
    kind("", "Service", true),
    kind("", "ServiceAccount", true),
    kind("", "Pod", true),
    kind("", "ReplicationController", true),
    kind("", "PersistentVolumeClaim", true),
    kind("", "Endpoints", true),
    kind("", "LimitRange", true),
    kind("", "ResourceQuota", true),
    kind("apps", "Deployment", true),
    kind("apps", "StatefulSet", true),
    kind("apps", "DaemonSet", true),
    kind("apps", "ReplicaSet", true),
    kind("apps.openshift.io", "DeploymentConfig", true),
    kind("batch", "Job", true),
    kind("batch", "CronJob", true),
    kind("networking.k8s.io", "Ingress", true),
    kind("networking.k8s.io", "NetworkPolicy", true),
    kind("networking.k8s.io", "IngressClass", false),
    kind("autoscaling", "HorizontalPodAutoscaler", true),
    kind("policy", "PodDisruptionBudget", true),
    kind("policy", "PodSecurityPolicy", false),
    kind("rbac.authorization.k8s.io", "Role", true),
    kind("rbac.authorization.k8s.io", "RoleBinding", true),
    kind("rbac.authorization.k8s.io", "ClusterRole", false),
    kind("rbac.authorization.k8s.io", "ClusterRoleBinding", false),
    kind("storage.k8s.io", "StorageClass", false),
    kind("storage.k8s.io", "CSIDriver", false),
    kind("storage.k8s.io", "CSINode", false),
    kind("storage.k8s.io", "VolumeAttachment", false),
    kind("scheduling.k8s.io", "PriorityClass", false),
    kind("node.k8s.io", "RuntimeClass", false),
    kind("apiextensions.k8s.io", "CustomResourceDefinition", false),
    kind("apiregistration.k8s.io", "APIService", false),
    kind("admissionregistration.k8s.io", "MutatingWebhookConfiguration", false),
    kind("admissionregistration.k8s.io", "ValidatingWebhookConfiguration", false),
    kind("admissionregistration.k8s.io", "ValidatingAdmissionPolicy", false),
    kind("admissionregistration.k8s.io", "ValidatingAdmissionPolicyBinding", false),
    kind("cert-manager.io", "ClusterIssuer", false),
];

/// The catalogue entry of a kind, by its name.
pub fn kind_info(kind: &str) -> Option<&'static KindInfo> {
    KINDS.iter().find(|k| k.kind == kind)
}

/// Whether objects of `kind` live in a namespace (unknown kinds: yes).
pub fn is_namespaced(kind: &str) -> bool {
    kind_info(kind).is_none_or(|k| k.namespaced)
}

/// Helm's install order (`releaseutil.InstallOrder`): kinds earlier in it are applied first,
/// any kind not in it after all of them. Uninstall runs it backwards.
pub static INSTALL_ORDER: &[&str] = &[
    "PriorityClass",
    "Namespace",
    "NetworkPolicy",
    "ResourceQuota",
    "LimitRange",
    "PodSecurityPolicy",
    "PodDisruptionBudget",
    "ServiceAccount",
    "Secret",
    "SecretList",
    "ConfigMap",
    "StorageClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "CustomResourceDefinition",
    "ClusterRole",
    "ClusterRoleList",
    "ClusterRoleBinding",
    "ClusterRoleBindingList",
    "Role",
    "RoleList",
    "RoleBinding",
    "RoleBindingList",
    "Service",
    "DaemonSet",
    "Pod",
    "ReplicationController",
    "ReplicaSet",
    "Deployment",
    "HorizontalPodAutoscaler",
    "StatefulSet",
    "Job",
    "CronJob",
    "IngressClass",
    "Ingress",
    "APIService",
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
];

/// A kind's place in [`INSTALL_ORDER`].
pub fn install_rank(kind: &str) -> usize {
    INSTALL_ORDER.iter().position(|k| *k == kind).unwrap_or(INSTALL_ORDER.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_print_with_their_namespace_unless_cluster_scoped() {
        assert_eq!(ResourceRef::to_kind("Deployment", "shop", "web").to_string(), "shop/Deployment/web");
        assert_eq!(ResourceRef::to_kind("Deployment", "shop", "web").group, "apps");
        assert_eq!(ResourceRef::to_kind("ClusterRole", "shop", "reader").to_string(), "ClusterRole/reader");
        assert_eq!(ResourceRef::to_kind("Widget", "shop", "w").to_string(), "shop/Widget/w");
    }

    #[test]
    fn group_kinds_round_trip_and_groups_come_from_api_versions() {
        let gk = GroupKind::of("apps/v1", "Deployment");
        assert_eq!(gk.to_string(), "Deployment.apps");
        assert_eq!(GroupKind::parse("Deployment.apps"), Some(gk));
        assert_eq!(GroupKind::of("v1", "Secret").to_string(), "Secret");
        assert_eq!(api_group("networking.k8s.io/v1"), "networking.k8s.io");
    }

    #[test]
    fn install_order_is_helms() {
        let rank = install_rank;
        assert!(rank("Namespace") < rank("ServiceAccount"));
        assert!(rank("ServiceAccount") < rank("Secret") && rank("PersistentVolumeClaim") < rank("Deployment"));
        assert!(rank("Deployment") < rank("HorizontalPodAutoscaler") && rank("StatefulSet") < rank("Job"));
        assert_eq!(rank("Widget"), INSTALL_ORDER.len());
        assert!(INSTALL_ORDER.iter().all(|k| k.ends_with("List") || kind_info(k).is_some()), "catalogued");
    }
}
