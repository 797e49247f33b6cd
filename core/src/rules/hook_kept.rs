//! hook-kept: a Helm hook that runs on upgrades keeps its last run, so it cannot run again.

use super::{Category, Check, ManifestSink, Rule};
use crate::diagnostic::Severity::*;
use crate::manifest::hooks::{self, HookRun, HOOK_DELETE_POLICY};
use crate::manifest::ManifestSet;
use crate::path::field_path;

pub const RULE: Rule = Rule {
    id: "hook-kept",
    summary: "A Helm hook that runs on upgrades but whose delete policy keeps its last run (no `before-hook-creation`, not deleted when it succeeds) cannot run again: the next `helm upgrade` fails with \"already exists\".",
    help: "Add `before-hook-creation` to `helm.sh/hook-delete-policy`, or leave the annotation out (Helm's default), so each run starts from a new object.",
    category: Category::BestPractice,
    minikube: Some(Error),
    production: Some(Error),
    check: Check::Manifests(check),
};

fn check(set: &ManifestSet, sink: &mut ManifestSink) {
    for (i, resource) in set.iter() {
        let meta = resource.object.metadata();
        let on_upgrade = hooks::is_hook(meta) && hooks::run_in(meta, false) != HookRun::NotNow;
        if !on_upgrade || hooks::deleted_before_creation(meta) || hooks::deleted_after(meta, true) {
            continue;
        }
        let (kind, name) = (resource.object.kind(), resource.object.name());
        // kubeplay applies a kept hook in place: a finished Job is then left as it was.
        let job = match kind {
            "Job" => " (`kubeplay apply` finds the Job finished and does not run it again)",
            _ => "",
        };
        sink.report(
            i,
            field_path!("metadata", "annotations", HOOK_DELETE_POLICY),
            format!("{kind} `{name}` is a hook of every upgrade, but its delete policy keeps its last successful run: Helm makes a hook anew each time, so the next `helm upgrade` fails with `{kind} \"{name}\" ... already exists`{job}."),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::manifests;

    const RULE: &str = "hook-kept";

    fn job(annotations: &str) -> String {
        format!("apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate\n  annotations:\n{annotations}spec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{{name: m, image: m:1}}]\n")
    }

    #[test]
    fn a_hook_of_upgrades_kept_after_success_is_reported_at_its_policy() {
        let sink = manifests(
            RULE,
            &job("    helm.sh/hook: pre-install,pre-upgrade\n    helm.sh/hook-delete-policy: hook-failed\n"),
        );
        assert_eq!(sink.findings.len(), 1);
        assert_eq!(sink.findings[0].field.to_string(), "metadata.annotations[\"helm.sh/hook-delete-policy\"]");
        assert!(
            sink.findings[0].message.contains("already exists") && sink.findings[0].message.contains("finished"),
            "{}",
            sink.findings[0].message
        );
    }

    #[test]
    fn a_hook_made_anew_or_run_once_is_not() {
        for annotations in [
            "    helm.sh/hook: pre-upgrade\n",
            "    helm.sh/hook: pre-upgrade\n    helm.sh/hook-delete-policy: before-hook-creation,hook-failed\n",
            "    helm.sh/hook: post-upgrade\n    helm.sh/hook-delete-policy: hook-succeeded\n",
            "    helm.sh/hook: pre-install\n    helm.sh/hook-delete-policy: hook-failed\n",
            "    note: not a hook\n",
        ] {
            assert_eq!(manifests(RULE, &job(annotations)).findings, [], "{annotations}");
        }
    }
}
