//! Helm hooks: objects a release runs at a point of its life (`helm.sh/hook`) instead of
//! keeping them with the rest. Render makes a setup Job one, `kubeplay apply` runs the ones a
//! pasted chart output carries, and both order them as Helm does.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use std::collections::BTreeMap;

/// The annotation naming the points of the release a hook runs at.
pub const HOOK: &str = "helm.sh/hook";
/// Hooks of one point run lowest weight first (`"0"` when not given).
pub const HOOK_WEIGHT: &str = "helm.sh/hook-weight";
pub const HOOK_DELETE_POLICY: &str = "helm.sh/hook-delete-policy";

/// A setup Job's points: before the release's objects, on install and on every upgrade.
pub const BEFORE_INSTALL_AND_UPGRADE: &str = "pre-install,pre-upgrade";
/// The previous run is deleted when the hook runs again (a Job's pod template cannot change),
/// and kept until then, with its logs.
pub const DELETE_BEFORE_CREATION: &str = "before-hook-creation";
/// The Secret and ConfigMap a setup Job reads are made first.
pub const DATA_WEIGHT: &str = "-5";
pub const SETUP_JOB_WEIGHT: &str = "0";

/// The annotations of an object run before the release's objects, at `weight`.
pub fn hook_annotations(weight: &str) -> BTreeMap<String, String> {
    BTreeMap::from([
        (HOOK.to_string(), BEFORE_INSTALL_AND_UPGRADE.to_string()),
        (HOOK_DELETE_POLICY.to_string(), DELETE_BEFORE_CREATION.to_string()),
        (HOOK_WEIGHT.to_string(), weight.to_string()),
    ])
}

/// Whether the object is a Helm hook of any point.
pub fn is_hook(meta: &ObjectMeta) -> bool {
    meta.annotations.as_ref().is_some_and(|a| a.contains_key(HOOK))
}

/// Whether the object is a hook Helm runs before it installs or upgrades the release's objects.
pub fn runs_before_release(meta: &ObjectMeta) -> bool {
    let points = meta.annotations.as_ref().and_then(|a| a.get(HOOK));
    points.is_some_and(|p| p.split(',').any(|point| matches!(point.trim(), "pre-install" | "pre-upgrade")))
}

/// The hook's weight (Helm reads a weight that is not a number as 0).
pub fn weight(meta: &ObjectMeta) -> i32 {
    meta.annotations.as_ref().and_then(|a| a.get(HOOK_WEIGHT)).and_then(|w| w.trim().parse().ok()).unwrap_or(0)
}

/// Whether the hook's previous object is deleted before it is made again.
pub fn deleted_before_creation(meta: &ObjectMeta) -> bool {
    let policy = meta.annotations.as_ref().and_then(|a| a.get(HOOK_DELETE_POLICY));
    // Helm's default policy, when none is given, is `before-hook-creation`.
    policy.is_none_or(|p| p.split(',').any(|p| p.trim() == DELETE_BEFORE_CREATION))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn annotated(pairs: &[(&str, &str)]) -> ObjectMeta {
        ObjectMeta {
            annotations: Some(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()),
            ..Default::default()
        }
    }

    #[test]
    fn a_pre_install_or_pre_upgrade_hook_runs_before_the_release() {
        assert!(runs_before_release(&annotated(&[(HOOK, "pre-install")])));
        assert!(runs_before_release(&annotated(&[(HOOK, "post-install, pre-upgrade")])));
        assert!(!runs_before_release(&annotated(&[(HOOK, "post-install")])));
        assert!(!runs_before_release(&ObjectMeta::default()));
        assert!(is_hook(&annotated(&[(HOOK, "test")])));
    }

    #[test]
    fn weights_and_delete_policies_read_as_helm_reads_them() {
        assert_eq!(weight(&annotated(&[(HOOK_WEIGHT, "-5")])), -5);
        assert_eq!(weight(&annotated(&[(HOOK_WEIGHT, "x")])), 0);
        assert!(deleted_before_creation(&annotated(&[(HOOK, "pre-install")])));
        assert!(!deleted_before_creation(&annotated(&[(HOOK_DELETE_POLICY, "hook-succeeded")])));
        let setup = ObjectMeta { annotations: Some(hook_annotations(SETUP_JOB_WEIGHT)), ..Default::default() };
        assert!(runs_before_release(&setup) && deleted_before_creation(&setup));
    }
}
