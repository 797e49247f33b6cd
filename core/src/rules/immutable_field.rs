//! immutable-field: an object changes, against the set applied before, a field the API server lets no update change (a selector, a Job's pod template, a claim's class), or shrinks a claim.

use super::{Category, Check, ManifestSink, Rule};
use crate::diagnostic::Severity::*;
use crate::immutable;
use crate::manifest::{hooks, ManifestSet};
use crate::resource::GroupKind;

pub const RULE: Rule = Rule {
    id: "immutable-field",
    summary: "Some fields cannot change once an object exists (a workload's selector, a Job's pod template, a bare Pod's spec, a claim's storage class, the data of a ConfigMap or Secret marked immutable), and a claim cannot shrink: applying such a change over the earlier set fails.",
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
        if !immutable::has_immutable_fields(&group_kind) {
            continue;
        }
        let Some(old) = after.reference(i).and_then(|r| earlier.get(&r)) else { continue };
        if !hooks::updated_in_place(resource.object.metadata(), Some(old.object.metadata()), false) {
            continue;
        }
        let old_json = old.to_json_via_yaml();
        // A finished Job with a time to live is deleted by then, most likely: a doubt.
        let likely_gone = old_json.pointer("/spec/ttlSecondsAfterFinished").is_some_and(|t| !t.is_null());
        for change in
            immutable::changes(&group_kind, &old_json, &resource.to_json_via_yaml(), immutable::Against::Earlier)
        {
            let message = format!(
                "{} `{}`: {}",
                resource.object.kind(),
                resource.object.name(),
                change.explain_against("the earlier set has")
            );
            match likely_gone {
                true => sink.warn(
                    i,
                    change.at,
                    format!("{message} (Unless the earlier Job is gone: it has `ttlSecondsAfterFinished`.)"),
                ),
                false => sink.report(i, change.at, message),
            }
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
        assert!(
            finding.message.starts_with("Deployment `web`: an update may not make this change to `spec.selector`"),
            "{}",
            finding.message
        );
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
        // Deleted once it succeeded: made anew.
        let succeeded = "helm.sh/hook: pre-upgrade, helm.sh/hook-delete-policy: hook-succeeded";
        assert_eq!(between(&job("api:1", succeeded), &job("api:2", succeeded)).findings, []);
        // A Job with a time to live is most likely gone by the next apply: at most a warning.
        let ttl = |image: &str| {
            job(image, "").replace("spec:\n  template:", "spec:\n  ttlSecondsAfterFinished: 100\n  template:")
        };
        let doubt = between(&ttl("api:1"), &ttl("api:2"));
        assert_eq!(doubt.findings.len(), 1);
        assert_eq!(doubt.findings[0].at_most, Some(crate::Severity::Warning));
    }

    #[test]
    fn a_bare_pods_spec_may_change_only_its_images_deadlines_and_tolerations() {
        let pod = |image: &str, env: &str| {
            format!("apiVersion: v1\nkind: Pod\nmetadata: {{name: debug}}\nspec:\n  activeDeadlineSeconds: 60\n  containers:\n  - name: shell\n    image: {image}\n    env: [{{name: MODE, value: {env}}}]\n")
        };
        assert_eq!(between(&pod("busybox:1.36", "a"), &pod("busybox:1.37", "a")).findings, []);
        let sink = between(&pod("busybox:1.36", "a"), &pod("busybox:1.36", "b"));
        assert_eq!(sink.findings.len(), 1);
        assert_eq!(sink.findings[0].field.to_string(), "spec.containers[0].env[0].value");
        assert!(
            sink.findings[0].message.contains("pod updates may not change fields other than"),
            "{}",
            sink.findings[0].message
        );
    }

    #[test]
    fn a_services_cluster_ip_left_empty_is_kept() {
        let service = |ip: &str| {
            format!("apiVersion: v1\nkind: Service\nmetadata: {{name: db}}\nspec:\n  clusterIP: {ip}\n  ports: [{{port: 5432}}]\n")
        };
        assert_eq!(between(&service("None"), &service("\"\"")).findings, []);
        assert_eq!(between(&service("10.96.0.10"), &service("10.96.0.10")).findings, []);
        assert_eq!(between(&service("None"), &service("10.96.0.10")).findings.len(), 1, "headless to not");
    }
}
