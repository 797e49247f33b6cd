//! Which apiVersion of a built-in kind Kubernetes deprecated or stopped serving, in which
//! release, and what replaces it: the Deprecated API Migration Guide (kubernetes.io) as data,
//! as pluto and kubent carry it. A test holds the table to the embedded schemas
//! (`core/schemas/`): a kind removed in a release is absent from that release's schema on.

/// A Kubernetes minor release, `1.N`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Release(pub u32);

impl Release {
    /// `1.29`, `v1.29` or `1.29.3` as a release; `None` for anything else.
    pub fn parse(text: &str) -> Option<Release> {
        let text = text.strip_prefix('v').unwrap_or(text);
        let mut parts = text.split('.');
        let (major, minor) = (parts.next()?, parts.next()?);
        (major == "1").then_some(())?;
        minor.parse().ok().map(Release)
    }
}

impl std::fmt::Display for Release {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "1.{}", self.0)
    }
}

/// One apiVersion of one kind on its way out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deprecation {
    pub api_version: &'static str,
    pub kind: &'static str,
    pub deprecated_in: Release,
    /// `None`: deprecated, but no release stops serving it yet.
    pub removed_in: Option<Release>,
    /// The apiVersion to write instead, or what to do when nothing replaces it.
    pub replacement: &'static str,
    /// What changes besides the apiVersion line, when something does.
    pub note: &'static str,
}

const fn gone(
    api_version: &'static str,
    kind: &'static str,
    deprecated_in: u32,
    removed_in: u32,
    replacement: &'static str,
    note: &'static str,
) -> Deprecation {
    Deprecation {
        api_version,
        kind,
        deprecated_in: Release(deprecated_in),
        removed_in: Some(Release(removed_in)),
        replacement,
        note,
    }
}

const APPS_V1: &str = "`apps/v1`";
const APPS_NOTE: &str = "`spec.selector` is required and must match the template's labels";
const INGRESS_NOTE: &str =
    "a backend is written `service: {name: NAME, port: {number: 80}}` and every path needs a `pathType`";
const FLOWCONTROL_V1: &str = "`flowcontrol.apiserver.k8s.io/v1`";

/// Every deprecated or removed apiVersion of a built-in kind, by release.
pub const DEPRECATIONS: &[Deprecation] = &[
    gone("extensions/v1beta1", "Deployment", 9, 16, APPS_V1, APPS_NOTE),
    gone("extensions/v1beta1", "DaemonSet", 9, 16, APPS_V1, APPS_NOTE),
    gone("extensions/v1beta1", "ReplicaSet", 9, 16, APPS_V1, APPS_NOTE),
    gone("apps/v1beta1", "Deployment", 9, 16, APPS_V1, APPS_NOTE),
    gone("apps/v1beta1", "StatefulSet", 9, 16, APPS_V1, APPS_NOTE),
    gone("apps/v1beta2", "Deployment", 9, 16, APPS_V1, APPS_NOTE),
    gone("apps/v1beta2", "StatefulSet", 9, 16, APPS_V1, APPS_NOTE),
    gone("apps/v1beta2", "DaemonSet", 9, 16, APPS_V1, APPS_NOTE),
    gone("apps/v1beta2", "ReplicaSet", 9, 16, APPS_V1, APPS_NOTE),
    gone("extensions/v1beta1", "NetworkPolicy", 9, 16, "`networking.k8s.io/v1`", ""),
    gone("extensions/v1beta1", "PodSecurityPolicy", 10, 16, "nothing: PodSecurityPolicy is gone; use Pod Security Admission (the `pod-security.kubernetes.io/enforce` Namespace label)", ""),
    gone("extensions/v1beta1", "Ingress", 14, 22, "`networking.k8s.io/v1`", INGRESS_NOTE),
    gone("networking.k8s.io/v1beta1", "Ingress", 19, 22, "`networking.k8s.io/v1`", INGRESS_NOTE),
    gone("networking.k8s.io/v1beta1", "IngressClass", 19, 22, "`networking.k8s.io/v1`", ""),
    gone("admissionregistration.k8s.io/v1beta1", "MutatingWebhookConfiguration", 16, 22, "`admissionregistration.k8s.io/v1`", "`sideEffects` and `admissionReviewVersions` are required"),
    gone("admissionregistration.k8s.io/v1beta1", "ValidatingWebhookConfiguration", 16, 22, "`admissionregistration.k8s.io/v1`", "`sideEffects` and `admissionReviewVersions` are required"),
    gone("apiextensions.k8s.io/v1beta1", "CustomResourceDefinition", 16, 22, "`apiextensions.k8s.io/v1`", "each version needs a structural `schema.openAPIV3Schema`"),
    gone("apiregistration.k8s.io/v1beta1", "APIService", 19, 22, "`apiregistration.k8s.io/v1`", ""),
    gone("authentication.k8s.io/v1beta1", "TokenReview", 19, 22, "`authentication.k8s.io/v1`", ""),
    gone("authorization.k8s.io/v1beta1", "SubjectAccessReview", 19, 22, "`authorization.k8s.io/v1`", ""),
    gone("authorization.k8s.io/v1beta1", "LocalSubjectAccessReview", 19, 22, "`authorization.k8s.io/v1`", ""),
    gone("authorization.k8s.io/v1beta1", "SelfSubjectAccessReview", 19, 22, "`authorization.k8s.io/v1`", ""),
    gone("certificates.k8s.io/v1beta1", "CertificateSigningRequest", 19, 22, "`certificates.k8s.io/v1`", "`spec.signerName` is required"),
    gone("coordination.k8s.io/v1beta1", "Lease", 19, 22, "`coordination.k8s.io/v1`", ""),
    gone("rbac.authorization.k8s.io/v1beta1", "ClusterRole", 17, 22, "`rbac.authorization.k8s.io/v1`", ""),
    gone("rbac.authorization.k8s.io/v1beta1", "ClusterRoleBinding", 17, 22, "`rbac.authorization.k8s.io/v1`", ""),
    gone("rbac.authorization.k8s.io/v1beta1", "Role", 17, 22, "`rbac.authorization.k8s.io/v1`", ""),
    gone("rbac.authorization.k8s.io/v1beta1", "RoleBinding", 17, 22, "`rbac.authorization.k8s.io/v1`", ""),
    gone("scheduling.k8s.io/v1beta1", "PriorityClass", 14, 22, "`scheduling.k8s.io/v1`", ""),
    gone("storage.k8s.io/v1beta1", "CSIDriver", 19, 22, "`storage.k8s.io/v1`", ""),
    gone("storage.k8s.io/v1beta1", "CSINode", 19, 22, "`storage.k8s.io/v1`", ""),
    gone("storage.k8s.io/v1beta1", "StorageClass", 19, 22, "`storage.k8s.io/v1`", ""),
    gone("storage.k8s.io/v1beta1", "VolumeAttachment", 19, 22, "`storage.k8s.io/v1`", ""),
    gone("batch/v1beta1", "CronJob", 21, 25, "`batch/v1`", ""),
    gone("discovery.k8s.io/v1beta1", "EndpointSlice", 21, 25, "`discovery.k8s.io/v1`", "`topology` became `zone` and `deprecatedTopology`"),
    gone("events.k8s.io/v1beta1", "Event", 19, 25, "`events.k8s.io/v1`", ""),
    gone("autoscaling/v2beta1", "HorizontalPodAutoscaler", 22, 25, "`autoscaling/v2`", "metric targets are written `target: {type: Utilization, averageUtilization: 80}`"),
    gone("policy/v1beta1", "PodDisruptionBudget", 21, 25, "`policy/v1`", "an empty `spec.selector` now selects every pod of the namespace"),
    gone("policy/v1beta1", "PodSecurityPolicy", 21, 25, "nothing: PodSecurityPolicy is gone; use Pod Security Admission (the `pod-security.kubernetes.io/enforce` Namespace label)", ""),
    gone("node.k8s.io/v1beta1", "RuntimeClass", 20, 25, "`node.k8s.io/v1`", ""),
    gone("flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema", 23, 26, FLOWCONTROL_V1, ""),
    gone("flowcontrol.apiserver.k8s.io/v1beta1", "PriorityLevelConfiguration", 23, 26, FLOWCONTROL_V1, ""),
    gone("autoscaling/v2beta2", "HorizontalPodAutoscaler", 23, 26, "`autoscaling/v2`", ""),
    gone("storage.k8s.io/v1beta1", "CSIStorageCapacity", 24, 27, "`storage.k8s.io/v1`", ""),
    gone("flowcontrol.apiserver.k8s.io/v1beta2", "FlowSchema", 26, 29, FLOWCONTROL_V1, ""),
    gone("flowcontrol.apiserver.k8s.io/v1beta2", "PriorityLevelConfiguration", 26, 29, FLOWCONTROL_V1, ""),
    gone("flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema", 29, 32, FLOWCONTROL_V1, ""),
    gone("flowcontrol.apiserver.k8s.io/v1beta3", "PriorityLevelConfiguration", 29, 32, FLOWCONTROL_V1, ""),
    Deprecation {
        api_version: "v1",
        kind: "Endpoints",
        deprecated_in: Release(33),
        removed_in: None,
        replacement: "`discovery.k8s.io/v1` EndpointSlice",
        note: "",
    },
    Deprecation {
        api_version: "v1",
        kind: "ComponentStatus",
        deprecated_in: Release(19),
        removed_in: None,
        replacement: "nothing: ask the components' own health endpoints",
        note: "",
    },
];

/// The deprecation of `api_version` `kind`, if it has one.
pub fn of(api_version: &str, kind: &str) -> Option<&'static Deprecation> {
    DEPRECATIONS.iter().find(|d| d.api_version == api_version && d.kind == kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn releases_read_as_kubectl_and_helm_write_them() {
        assert_eq!(Release::parse("1.29"), Some(Release(29)));
        assert_eq!(Release::parse("v1.35.2"), Some(Release(35)));
        assert_eq!(Release::parse("2.1"), None);
        assert_eq!(Release::parse("1.x"), None);
        assert_eq!(Release(22).to_string(), "1.22");
    }

    #[test]
    fn each_entry_is_once_and_deprecated_before_it_is_removed() {
        for (i, d) in DEPRECATIONS.iter().enumerate() {
            assert!(d.removed_in.is_none_or(|r| d.deprecated_in < r), "{d:?}");
            assert!(
                DEPRECATIONS[..i].iter().all(|e| (e.api_version, e.kind) != (d.api_version, d.kind)),
                "{d:?} twice"
            );
        }
    }

    /// The table against kubernetes-validate's schemas of every embedded version: a removed
    /// apiVersion of a kind has no schema from its removal on, and one still served has one.
    #[test]
    fn the_table_agrees_with_the_embedded_schemas() {
        for version in crate::openapi::VERSIONS {
            let schema = crate::openapi::embedded(version).expect("embedded in tests");
            let release = Release::parse(version).expect("a release");
            for d in DEPRECATIONS {
                let served = d.removed_in.is_none_or(|r| release < r);
                assert_eq!(schema.has_kind(d.api_version, d.kind), served, "{} {} in {version}", d.api_version, d.kind);
            }
        }
    }
}
