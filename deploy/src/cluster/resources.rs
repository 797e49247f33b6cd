//! Kinds to API resources (URL path, plural, scope): a table for the kinds core models and
//! their neighbours, API discovery for anything else.

use super::client::Target;
use super::errors::ClusterError;
use k8s_openapi::api::apps::v1::{DaemonSet, Deployment, ReplicaSet, StatefulSet};
use k8s_openapi::api::autoscaling::{v1 as autoscaling_v1, v2 as autoscaling_v2};
use k8s_openapi::api::batch::v1::{CronJob, Job};
use k8s_openapi::api::core::v1::{
    ConfigMap, Namespace, PersistentVolumeClaim, Pod, ReplicationController, Secret, Service, ServiceAccount,
};
use k8s_openapi::api::networking::v1::{Ingress, NetworkPolicy};
use k8s_openapi::api::policy::v1::PodDisruptionBudget;
use k8s_openapi::api::rbac::v1::{ClusterRole, ClusterRoleBinding, Role, RoleBinding};
use kube::api::ApiResource;
use kube::core::GroupVersionKind;
use kube::discovery::{self, Scope};
use kubeplay_core::resource::GroupKind;

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

/// A kind of k8s-openapi with its URL path and plural; its scope is core's catalogue's, so
/// there is one answer to "is it namespaced" whether a kind is found here or in the manifests.
fn typed<K: kube::Resource<DynamicType = ()>>() -> Resolved {
    let resource = ApiResource::erase::<K>(&());
    let namespaced = kubeplay_core::resource::is_namespaced(&resource.kind);
    Resolved { resource, namespaced }
}

/// Defines [`known`] from a list of k8s-openapi types (and, for the tests, their own scopes).
macro_rules! known_kinds {
    ($($t:ty),* $(,)?) => {
        /// Every kind core models, and the ones their objects make (Pods, ReplicaSets), known
        /// without asking the cluster. Preferred versions first: [`resolve_group_kind`] takes
        /// the first of a group and kind.
        fn known() -> Vec<Resolved> {
            vec![$(typed::<$t>()),*]
        }

        /// (kind, namespaced) as k8s-openapi types them, to hold core's catalogue to.
        #[cfg(test)]
        fn openapi_scopes() -> Vec<(&'static str, bool)> {
            fn namespaced<K: k8s_openapi::Resource>() -> bool
            where
                K::Scope: 'static,
            {
                std::any::TypeId::of::<K::Scope>() == std::any::TypeId::of::<k8s_openapi::NamespaceResourceScope>()
            }
            vec![$((<$t as k8s_openapi::Resource>::KIND, namespaced::<$t>())),*]
        }
    };
}

known_kinds![
    Namespace,
    Secret,
    ConfigMap,
    Service,
    ServiceAccount,
    PersistentVolumeClaim,
    Pod,
    ReplicationController,
    Deployment,
    ReplicaSet,
    StatefulSet,
    DaemonSet,
    Job,
    CronJob,
    Ingress,
    NetworkPolicy,
    autoscaling_v2::HorizontalPodAutoscaler,
    autoscaling_v1::HorizontalPodAutoscaler,
    PodDisruptionBudget,
    Role,
    ClusterRole,
    RoleBinding,
    ClusterRoleBinding,
];

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

#[cfg(test)]
mod tests {
    use super::*;

    /// The table's entry for `api_version` and `kind`.
    fn entry(api_version: &str, kind: &str) -> Resolved {
        known()
            .into_iter()
            .find(|r| r.resource.api_version == api_version && r.resource.kind == kind)
            .unwrap_or_else(|| panic!("{kind} ({api_version}) is not in the table"))
    }

    #[test]
    fn every_kind_core_models_is_known_with_its_plural_and_scope() {
        let expected = [
            ("v1", "Namespace", "namespaces", false),
            ("v1", "Secret", "secrets", true),
            ("v1", "ConfigMap", "configmaps", true),
            ("v1", "Service", "services", true),
            ("v1", "ServiceAccount", "serviceaccounts", true),
            ("v1", "PersistentVolumeClaim", "persistentvolumeclaims", true),
            ("v1", "Pod", "pods", true),
            ("v1", "ReplicationController", "replicationcontrollers", true),
            ("apps/v1", "Deployment", "deployments", true),
            ("apps/v1", "StatefulSet", "statefulsets", true),
            ("apps/v1", "DaemonSet", "daemonsets", true),
            ("apps/v1", "ReplicaSet", "replicasets", true),
            ("batch/v1", "Job", "jobs", true),
            ("batch/v1", "CronJob", "cronjobs", true),
            ("networking.k8s.io/v1", "Ingress", "ingresses", true),
            ("networking.k8s.io/v1", "NetworkPolicy", "networkpolicies", true),
            ("autoscaling/v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers", true),
            ("autoscaling/v1", "HorizontalPodAutoscaler", "horizontalpodautoscalers", true),
            ("policy/v1", "PodDisruptionBudget", "poddisruptionbudgets", true),
            ("rbac.authorization.k8s.io/v1", "Role", "roles", true),
            ("rbac.authorization.k8s.io/v1", "RoleBinding", "rolebindings", true),
            ("rbac.authorization.k8s.io/v1", "ClusterRole", "clusterroles", false),
            ("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", "clusterrolebindings", false),
        ];
        for (api_version, kind, plural, namespaced) in expected {
            let r = entry(api_version, kind);
            assert_eq!((r.resource.plural.as_str(), r.namespaced), (plural, namespaced), "{kind} ({api_version})");
        }
        // Every pod-making kind of core but OpenShift's, which only discovery can find.
        for kind in kubeplay_core::manifest::WorkloadKind::ALL {
            let found = known().iter().any(|r| r.resource.kind == kind.as_str() && r.resource.group == kind.group());
            assert_eq!(found, kind != kubeplay_core::manifest::WorkloadKind::DeploymentConfig, "{kind:?}");
        }
    }

    #[test]
    fn core_scopes_agree_with_k8s_openapi() {
        for (kind, namespaced) in openapi_scopes() {
            assert_eq!(kubeplay_core::resource::is_namespaced(kind), namespaced, "{kind}");
        }
    }

    #[test]
    fn autoscaling_v2_is_preferred() {
        let gk = GroupKind::new("autoscaling", "HorizontalPodAutoscaler");
        let first = known().into_iter().find(|r| r.group_kind() == gk).unwrap();
        assert_eq!(first.resource.api_version, "autoscaling/v2");
    }
}
