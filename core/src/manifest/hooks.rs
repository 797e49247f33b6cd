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
/// A setup Job that needs the release's own objects: after them on the first install, before
/// them on every upgrade.
pub const AFTER_INSTALL_BEFORE_UPGRADE: &str = "post-install,pre-upgrade";
/// The previous run is deleted when the hook runs again (a Job's pod template cannot change),
/// and kept until then, with its logs.
pub const DELETE_BEFORE_CREATION: &str = "before-hook-creation";
/// The Secret and ConfigMap a setup Job reads are made first.
pub const DATA_WEIGHT: &str = "-5";
pub const SETUP_JOB_WEIGHT: &str = "0";

/// The annotations of a hook run at `points`, at `weight`.
pub fn hook_annotations(points: &str, weight: &str) -> BTreeMap<String, String> {
    BTreeMap::from([
        (HOOK.to_string(), points.to_string()),
        (HOOK_DELETE_POLICY.to_string(), DELETE_BEFORE_CREATION.to_string()),
        (HOOK_WEIGHT.to_string(), weight.to_string()),
    ])
}

/// The points a hook runs at, as written (`pre-install,pre-upgrade`); empty for no hook.
pub fn points(meta: &ObjectMeta) -> &str {
    meta.annotations.as_ref().and_then(|a| a.get(HOOK)).map_or("", String::as_str)
}

/// Whether the object is a Helm hook of any point.
pub fn is_hook(meta: &ObjectMeta) -> bool {
    meta.annotations.as_ref().is_some_and(|a| a.contains_key(HOOK))
}

/// When a hook runs in the apply at hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HookRun {
    /// Before the release's own objects are applied.
    Before,
    /// After them.
    After,
    /// Not in this apply: the hook of another verb (`helm test`, uninstall, rollback), or only
    /// of the other of install and upgrade.
    NotNow,
}

/// When the hook runs in an install (`install`: the release is new) or an upgrade, as Helm
/// runs it; [`HookRun::NotNow`] for an object that is no hook.
pub fn run_in(meta: &ObjectMeta, install: bool) -> HookRun {
    let (before, after) = if install { ("pre-install", "post-install") } else { ("pre-upgrade", "post-upgrade") };
    let mut run = HookRun::NotNow;
    for point in listed(meta, HOOK) {
        if point == before {
            return HookRun::Before;
        }
        if point == after {
            run = HookRun::After;
        }
    }
    run
}

/// The comma-separated words of annotation `key`, as Helm reads them: trimmed, lower case.
fn listed(meta: &ObjectMeta, key: &str) -> Vec<String> {
    let text = meta.annotations.as_ref().and_then(|a| a.get(key));
    text.into_iter()
        .flat_map(|t| t.split(','))
        .map(|w| w.trim().to_ascii_lowercase())
        .filter(|w| !w.is_empty())
        .collect()
}

/// Whether the hook is deleted once its step ends: after all the step's hooks succeeded
/// (`hook-succeeded`), or after it failed (`hook-failed`).
pub fn deleted_after(meta: &ObjectMeta, succeeded: bool) -> bool {
    let policy = if succeeded { "hook-succeeded" } else { "hook-failed" };
    listed(meta, HOOK_DELETE_POLICY).iter().any(|p| p == policy)
}

/// The hook's weight (Helm reads a weight that is not a number as 0).
pub fn weight(meta: &ObjectMeta) -> i32 {
    meta.annotations.as_ref().and_then(|a| a.get(HOOK_WEIGHT)).and_then(|w| w.trim().parse().ok()).unwrap_or(0)
}

/// Whether the hook's previous object is deleted before it is made again.
pub fn deleted_before_creation(meta: &ObjectMeta) -> bool {
    let policies = listed(meta, HOOK_DELETE_POLICY);
    // Helm's default policy, when none is given, is `before-hook-creation`.
    policies.is_empty() || policies.iter().any(|p| p == DELETE_BEFORE_CREATION)
}

/// Whether an apply would update the object in place, so fields no update may change are
/// compared with its earlier copy (`earlier`, when known; `install`: the release is new). Not
/// when that copy was a hook deleted once it succeeded, nor for a hook not sent in this apply or
/// whose last run is deleted before it is made again.
pub fn updated_in_place(meta: &ObjectMeta, earlier: Option<&ObjectMeta>, install: bool) -> bool {
    // The earlier copy, a hook deleted once it succeeded, is gone whatever this one is now.
    if earlier.is_some_and(|e| is_hook(e) && deleted_after(e, true)) {
        return false;
    }
    !is_hook(meta) || !(run_in(meta, install) == HookRun::NotNow || deleted_before_creation(meta))
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
    fn a_hook_runs_at_its_point_of_an_install_or_an_upgrade() {
        let hook = |points: &str| annotated(&[(HOOK, points)]);
        assert_eq!(run_in(&hook("pre-install"), true), HookRun::Before);
        assert_eq!(run_in(&hook("pre-install"), false), HookRun::NotNow);
        assert_eq!(run_in(&hook("post-install, pre-upgrade"), false), HookRun::Before);
        assert_eq!(run_in(&hook("post-install, pre-upgrade"), true), HookRun::After);
        assert_eq!(run_in(&hook("test"), true), HookRun::NotNow);
        assert_eq!(run_in(&ObjectMeta::default(), true), HookRun::NotNow);
        assert!(is_hook(&hook("test")) && !is_hook(&ObjectMeta::default()));
        assert_eq!(
            (points(&hook("post-install, pre-upgrade")), points(&ObjectMeta::default())),
            ("post-install, pre-upgrade", "")
        );
    }

    #[test]
    fn weights_and_delete_policies_read_as_helm_reads_them() {
        assert_eq!(weight(&annotated(&[(HOOK_WEIGHT, "-5")])), -5);
        assert_eq!(weight(&annotated(&[(HOOK_WEIGHT, "x")])), 0);
        assert!(deleted_before_creation(&annotated(&[(HOOK, "pre-install")])));
        assert!(!deleted_before_creation(&annotated(&[(HOOK_DELETE_POLICY, "hook-succeeded")])));
        let both = annotated(&[(HOOK_DELETE_POLICY, "Hook-Succeeded , hook-failed")]);
        assert!(deleted_after(&both, true) && deleted_after(&both, false));
        assert!(!deleted_after(&annotated(&[(HOOK, "pre-install")]), true));
        assert_eq!(run_in(&annotated(&[(HOOK, " Pre-Install")]), true), HookRun::Before, "Helm reads it lower-cased");
        let setup = ObjectMeta {
            annotations: Some(hook_annotations(BEFORE_INSTALL_AND_UPGRADE, SETUP_JOB_WEIGHT)),
            ..Default::default()
        };
        assert!(run_in(&setup, true) == HookRun::Before && run_in(&setup, false) == HookRun::Before);
        assert!(deleted_before_creation(&setup));
    }
}
