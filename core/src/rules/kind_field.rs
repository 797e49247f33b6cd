//! kind-field: a component sets a field its `kind` does not use, or leaves out one it needs.

use super::{Category, Check, Rule};
use crate::diagnostic::Severity::*;
use crate::path::field_path;
use crate::values::{ComponentKind, KindField};

pub const RULE: Rule = Rule {
    id: "kind-field",
    summary: "A component sets a field its kind does not use (a DaemonSet's `replicas`, a Job's `service`), a Job sets `hookAfterInstall` without `hook`, or a CronJob has no `schedule`: the render leaves such a field out, so it would do nothing.",
    help: "Remove the field (over a preset, set it to `null`), or change `kind` to the one that uses it.",
    category: Category::Field,
    minikube: Some(Error),
    production: Some(Error),
    check: Check::Values(check),
};

/// What a kind's pods are, for messages: why the field means nothing to it.
fn nature(kind: ComponentKind) -> &'static str {
    match kind {
        ComponentKind::Deployment => "a Deployment keeps interchangeable pods running",
        ComponentKind::StatefulSet => "a StatefulSet keeps pods with stable names running",
        ComponentKind::DaemonSet => "a DaemonSet runs one pod on each node",
        ComponentKind::Job => "a Job runs its pods to completion once",
        ComponentKind::CronJob => "a CronJob runs a Job on a schedule",
    }
}

fn check(values: &crate::Values, sink: &mut super::ValuesSink) {
    for (name, c) in &values.components {
        let kind = c.kind;
        for field in KindField::ALL {
            if field.is_set(c) && !kind.uses(field) {
                let key = field.key();
                let users: Vec<&str> =
                    ComponentKind::ALL.into_iter().filter(|k| k.uses(field)).map(ComponentKind::as_str).collect();
                sink.report(
                    field_path!("components", name, key),
                    format!(
                        "component `{name}` is a {} and sets `{key}`, which only a {} uses ({}): remove it, or change `kind`.",
                        kind.as_str(),
                        users.join(" or "),
                        nature(kind)
                    ),
                );
            }
        }
        if c.hook_after_install && !c.hook && kind.uses(KindField::HookAfterInstall) {
            sink.report(
                field_path!("components", name, "hookAfterInstall"),
                format!("component `{name}` sets `hookAfterInstall` but not `hook: true`: it says when a hook runs, and this Job is no hook. Add `hook: true`, or remove it."),
            );
        }
        if kind == ComponentKind::CronJob && c.schedule.is_none() {
            sink.report(
                field_path!("components", name, "kind"),
                format!("component `{name}` is a CronJob without a `schedule`: say when it runs, e.g. `schedule: \"0 3 * * *\"` (every day at 03:00)."),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::values_findings;
    use crate::values::ComponentKind;

    const RULE: &str = "kind-field";

    fn paths(overlay: &str) -> Vec<String> {
        values_findings(RULE, overlay).iter().map(|f| f.path.to_string()).collect()
    }

    #[test]
    fn each_kind_with_its_own_fields_passes() {
        let overlay = "components:\n  todo-backend:\n    kind: StatefulSet\n    volumeClaimTemplates: {data: {size: 1Gi}}\n  todo-frontend:\n    kind: CronJob\n    replicas: null\n    service: null\n    schedule: \"@hourly\"\n    concurrencyPolicy: Forbid\n    backoffLimit: 1\n    restartPolicy: OnFailure\n    successfulJobsHistoryLimit: 1\n    failedJobsHistoryLimit: 1\n  migrate:\n    kind: Job\n    hook: true\n    hookAfterInstall: true\n    image: {repository: todo-backend}\n";
        assert_eq!(paths(overlay), Vec::<String>::new());
    }

    #[test]
    fn a_field_of_another_kind_is_reported_where_it_is_set() {
        // The preset's replicas and Service stay on a component made a Job.
        let found = values_findings(RULE, "components:\n  todo-backend:\n    kind: Job\n    schedule: \"@daily\"\n");
        let at: Vec<String> = found.iter().map(|f| f.path.to_string()).collect();
        assert_eq!(
            at,
            ["components.todo-backend.replicas", "components.todo-backend.service", "components.todo-backend.schedule"]
        );
        assert!(found[1].message.contains("a Job runs its pods to completion once"), "{}", found[1].message);
        assert_eq!(
            paths("components:\n  todo-backend:\n    volumeClaimTemplates: {data: {size: 1Gi}}\n"),
            ["components.todo-backend.volumeClaimTemplates"]
        );
        assert_eq!(paths("components:\n  todo-backend:\n    hook: true\n"), ["components.todo-backend.hook"]);
    }

    #[test]
    fn a_component_made_any_kind_keeps_no_field_of_another() {
        let values = crate::rules::testing::values(
            "components:\n  todo-backend:\n    kind: StatefulSet\n    volumeClaimTemplates: {data: {size: 1Gi}}\n    volumeMounts: [{name: data, mountPath: /data}]\n    autoscaling: {maxReplicas: 3}\n",
        );
        for kind in ComponentKind::ALL {
            let mut values = values.clone();
            let c = values.components.get_mut("todo-backend").unwrap();
            c.set_kind(kind);
            c.hook = kind == ComponentKind::Job;
            let mut sink = crate::rules::ValuesSink { rule: RULE, findings: Vec::new() };
            super::check(&values, &mut sink);
            assert_eq!(sink.findings, [], "{kind:?}");
            let c = &values.components["todo-backend"];
            assert_eq!(c.volume_mounts.is_empty(), kind != ComponentKind::StatefulSet, "a dropped claim's mount goes");
        }
    }

    #[test]
    fn hook_after_install_needs_a_hook() {
        let job = "components:\n  migrate:\n    kind: Job\n    hookAfterInstall: true\n    image: {repository: todo-backend}\n";
        let found = values_findings(RULE, job);
        assert_eq!(
            found.iter().map(|f| f.path.to_string()).collect::<Vec<_>>(),
            ["components.migrate.hookAfterInstall"]
        );
        assert!(found[0].message.contains("Add `hook: true`"), "{}", found[0].message);
        assert_eq!(
            paths(&job.replace("    hookAfterInstall", "    hook: true\n    hookAfterInstall")),
            Vec::<String>::new()
        );
        assert_eq!(
            paths("components:\n  todo-backend:\n    hookAfterInstall: true\n"),
            ["components.todo-backend.hookAfterInstall"],
            "a Deployment's is a field of another kind"
        );
    }

    #[test]
    fn a_cron_job_needs_a_schedule() {
        let overlay = "components:\n  todo-backend:\n    kind: CronJob\n    replicas: null\n    service: null\n";
        assert_eq!(paths(overlay), ["components.todo-backend.kind"]);
    }
}
