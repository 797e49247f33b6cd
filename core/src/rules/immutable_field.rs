//! immutable-field: an object changes, against the set applied before, a field the API server lets no update change (a selector, a Job's pod template, a claim's class), or shrinks a claim.

use super::{Category, Check, ManifestSink, Rule};
use crate::diagnostic::Severity::*;
use crate::immutable;
use crate::manifest::{hooks, ManifestSet};
use crate::resource::GroupKind;

pub const RULE: Rule = Rule {
    id: "immutable-field",
    summary: "Some fields cannot change once an object exists (a workload's selector, a Job's pod template, a claim's storage class), and a claim cannot shrink: applying such a change over the earlier set fails.",
    help: "Keep the field as it was, or do what the finding says instead of an update (usually: delete the object and apply again).",
    category: Category::Field,
    minikube: Some(Error),
    production: Some(Error),
    check: Check::Upgrade(check),
};

fn check(before: &ManifestSet, after: &ManifestSet, sink: &mut ManifestSink) {
    let earlier: hashbrown::HashMap<_, _> =
        before.iter().filter_map(|(i, resource)| Some((before.reference(i)?, resource))).collect();
    for (i, resource) in after.iter() {
        let group_kind = GroupKind::new(resource.object.group(), resource.object.kind());
        // A hook run anew each time (Helm's default) never has its earlier object updated.
        if !immutable::has_immutable_fields(&group_kind)
            || hooks::not_updated_in_place(resource.object.metadata(), false)
        {
            continue;
        }
        let Some(old) = after.reference(i).and_then(|r| earlier.get(&r)) else { continue };
        for change in immutable::changes(&group_kind, &old.to_json_via_yaml(), &resource.to_json_via_yaml()) {
            let message = format!(
                "{} `{}`: {}",
                resource.object.kind(),
                resource.object.name(),
                change.explain_against("the earlier set has")
            );
            sink.report(i, change.at, message);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::manifest::read;
    use crate::SourceFile;

    const RULE: &str = "immutable-field";

    fn deployment(app: &str, replicas: u32) -> String {
        format!("apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: web}}\nspec:\n  replicas: {replicas}\n  selector:\n    matchLabels: {{app: {app}}}\n  template:\n    metadata: {{labels: {{app: {app}}}}}\n    spec:\n      containers: [{{name: web, image: web:1}}]\n")
    }

    fn between(before: &str, after: &str) -> crate::rules::ManifestSink {
        let (before, _) = read(vec![SourceFile::new("before.yaml", before)]);
        let (after, _) = read(vec![SourceFile::new("after.yaml", after)]);
        crate::rules::run_upgrade(RULE, &before, &after).expect("an upgrade rule")
    }

    #[test]
    fn a_new_selector_is_reported_and_a_new_replica_count_is_not() {
        assert_eq!(between(&deployment("web", 1), &deployment("web", 3)).findings, []);
        let sink = between(&deployment("web", 1), &deployment("frontend", 1));
        assert_eq!(sink.findings.len(), 1, "{:?}", sink.findings);
        let finding = &sink.findings[0];
        // At the value that differs, inside the field that may not.
        assert_eq!(finding.field.to_string(), "spec.selector.matchLabels.app");
        assert!(finding.message.starts_with("Deployment `web`: `spec.selector` cannot change"), "{}", finding.message);
        assert!(finding.message.contains("the earlier set has \"web\", the input \"frontend\""), "{}", finding.message);
    }

    #[test]
    fn another_object_or_a_new_one_is_no_update() {
        let renamed = deployment("frontend", 1).replace("name: web}", "name: web2}");
        assert_eq!(between(&deployment("web", 1), &renamed).findings, []);
        let elsewhere = deployment("frontend", 1).replace("{name: web}", "{name: web, namespace: other}");
        assert_eq!(between(&deployment("web", 1), &elsewhere).findings, []);
    }

    #[test]
    fn a_hook_job_made_anew_may_change_its_template_and_a_plain_job_may_not() {
        let job = |image: &str, annotations: &str| {
            format!("apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate\n  annotations: {{{annotations}}}\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{{name: migrate, image: {image}}}]\n")
        };
        assert_eq!(between(&job("api:1", ""), &job("api:1", "")).findings, []);
        let plain = between(&job("api:1", ""), &job("api:2", ""));
        assert_eq!(
            plain.findings.iter().map(|f| f.field.to_string()).collect::<Vec<_>>(),
            ["spec.template.spec.containers[0].image"]
        );
        let hook = "helm.sh/hook: pre-upgrade";
        assert_eq!(between(&job("api:1", hook), &job("api:2", hook)).findings, []);
        let kept = "helm.sh/hook: pre-upgrade, helm.sh/hook-delete-policy: hook-failed";
        assert_eq!(between(&job("api:1", kept), &job("api:2", kept)).findings.len(), 1, "the last run is kept");
    }
}
