//! hook-uses-release: a pre-install hook uses an object of the release that is made after it.

use super::{Category, Check, ManifestSink, Rule};
use crate::diagnostic::Severity::*;
use crate::manifest::calls::env_calls;
use crate::manifest::hooks::{run_in, HookRun};
use crate::manifest::workload::{env_references, ContainerRef};
use crate::manifest::ManifestSet;
use crate::path::{field_path, FieldPath};

pub const RULE: Rule = Rule {
    id: "hook-uses-release",
    summary: "A pre-install hook runs before the release's own objects are made (by `helm install` and `kubeplay apply` alike): a Secret, ConfigMap, ServiceAccount, claim or Service of the release it uses does not exist yet on the first install, so its pod cannot start or waits for nothing.",
    help: "Make what the hook uses a hook too, with a lower `helm.sh/hook-weight` (values: a setup Job gets copies of the keys it reads), name an object made elsewhere, or run the step as an init container of the workload that needs it.",
    category: Category::Relationship,
    minikube: Some(Error),
    production: Some(Error),
    check: Check::Manifests(check),
};

/// Whether the set has the object and makes it only after its pre-install hooks.
fn made_after_hooks(set: &ManifestSet, kind: &str, namespace: &str, name: &str) -> bool {
    set.find(kind, namespace, name).is_some_and(|(_, r)| run_in(r.object.metadata(), true) != HookRun::Before)
}

fn check(set: &ManifestSet, sink: &mut ManifestSink) {
    let is_hook = |c: &ContainerRef| run_in(c.workload.metadata, true) == HookRun::Before;
    let mut report = |resource: usize, field: FieldPath, who: String, kind: &str, name: &str| {
        sink.report(
            resource,
            field,
            format!("{who} runs before the release's objects are made (a pre-install hook), but uses {kind} `{name}` of the release, which is made after it: on the first install it does not exist yet."),
        );
    };
    let hooks: Vec<_> = set.workloads().filter(|w| run_in(w.metadata, true) == HookRun::Before).collect();
    // Most sets have no hook: the calls are not worked out for them.
    if hooks.is_empty() {
        return;
    }
    for w in hooks {
        let namespace = set.namespace_of(w.resource);
        for c in w.all_containers() {
            for r in env_references(&c) {
                if made_after_hooks(set, r.kind, namespace, r.name) {
                    report(w.resource, r.name_field(), c.who(), r.kind, r.name);
                }
            }
        }
        let Some(pod) = w.pod_spec else { continue };
        if let Some(account) = pod.service_account_name.as_deref().filter(|a| !a.is_empty()) {
            if made_after_hooks(set, "ServiceAccount", namespace, account) {
                let field = w.pod_field(&["serviceAccountName".into()]);
                report(w.resource, field, format!("{} `{}`", w.kind.as_str(), w.name()), "ServiceAccount", account);
            }
        }
        for (i, volume) in pod.volumes.iter().flatten().enumerate() {
            let sources = [
                ("ConfigMap", volume.config_map.as_ref().map(|s| s.name.as_str())),
                ("Secret", volume.secret.as_ref().and_then(|s| s.secret_name.as_deref())),
                ("PersistentVolumeClaim", volume.persistent_volume_claim.as_ref().map(|s| s.claim_name.as_str())),
            ];
            for (kind, name) in sources {
                let Some(name) = name.filter(|n| made_after_hooks(set, kind, namespace, n)) else { continue };
                let field = w.pod_field(&["volumes".into(), i.into()]);
                report(w.resource, field, format!("{} `{}`", w.kind.as_str(), w.name()), kind, name);
            }
        }
    }
    for call in env_calls(set).into_iter().filter(|call| is_hook(&call.container)) {
        let Some((service, _)) = call.service else { continue };
        if run_in(set.resources[service].object.metadata(), true) != HookRun::Before {
            let field = call.container.field().join(&field_path!("env", call.env, "value"));
            report(call.container.resource(), field, call.container.who(), "Service", &call.service_name);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{manifests, rendered};

    const RULE: &str = "hook-uses-release";

    fn job(hook: &str, env: &str) -> String {
        format!("apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate\n  annotations: {{\"helm.sh/hook\": {hook}}}\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      serviceAccountName: runner\n      containers:\n      - name: migrate\n        image: \"api:1\"\n        env:\n{env}---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {{name: runner}}\n---\napiVersion: v1\nkind: Secret\nmetadata: {{name: db}}\nstringData: {{URL: x}}\n---\napiVersion: v1\nkind: Service\nmetadata: {{name: postgres}}\nspec: {{selector: {{app: pg}}, ports: [{{port: 5432}}]}}\n")
    }

    const ENV: &str = "        - {name: URL, valueFrom: {secretKeyRef: {name: db, key: URL}}}\n        - {name: DB_HOST, value: \"postgres:5432\"}\n";

    #[test]
    fn a_hook_using_what_the_release_makes_after_it_is_reported_at_each_use() {
        let found = manifests(RULE, &job("pre-install", ENV)).findings;
        let fields: Vec<String> = found.iter().map(|f| f.field.to_string()).collect();
        assert_eq!(
            fields,
            [
                "spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef.name",
                "spec.template.spec.serviceAccountName",
                "spec.template.spec.containers[0].env[1].value",
            ]
        );
        assert!(found[2].message.contains("uses Service `postgres` of the release"), "{}", found[2].message);
    }

    #[test]
    fn an_upgrade_hook_and_a_rendered_setup_job_pass() {
        // Only an upgrade's: the release's objects are there from its install.
        assert!(manifests(RULE, &job("pre-upgrade", ENV)).findings.is_empty());
        // Values: the setup Job reads hook copies of its keys.
        let overlay = "components:\n  migrate:\n    kind: Job\n    hook: true\n    image: {repository: todo-backend, tag: \"1.0.0\"}\n    secretKeys: [DATABASE_URL]\n    configKeys: [LOG_LEVEL]\n";
        assert!(rendered(RULE, overlay).findings.is_empty());
        let own_account = "components:\n  migrate:\n    kind: Job\n    hook: true\n    image: {repository: todo-backend, tag: \"1.0.0\"}\n    serviceAccount: {}\n";
        assert_eq!(rendered(RULE, own_account).findings.len(), 1);
    }
}
