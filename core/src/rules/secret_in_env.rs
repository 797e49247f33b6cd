//! secret-in-env: a Secret passed as an environment variable is easier to leak than one mounted as a file.

use super::{Category, Check, Rule};
use crate::diagnostic::Severity::*;
use crate::manifest::workload::{all_containers, env_references};

pub const RULE: Rule = Rule {
    id: "secret-in-env",
    summary: "A Secret read into an environment variable shows up in crash dumps, child processes and `kubectl describe`-style tooling; a mounted file does not.",
    help: "Mount the Secret as a volume and read the file, where the app allows it.",
    category: Category::BestPractice,
    minikube: None,
    production: Some(Info),
    check: Check::Manifests(check),
};

fn check(set: &crate::ManifestSet, sink: &mut super::ManifestSink) {
    for c in all_containers(set) {
        for r in env_references(&c).filter(|r| r.kind == "Secret") {
            let message = match r.key {
                Some((env, key)) => format!(
                    "env `{env}` of {} takes key `{key}` of Secret `{}` as an environment variable.",
                    c.who(),
                    r.name
                ),
                None => {
                    format!("{} takes every key of Secret `{}` as environment variables (envFrom).", c.who(), r.name)
                }
            };
            sink.report(c.resource(), r.entry(), message);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::manifests;

    const RULE: &str = "secret-in-env";

    fn pod(env: &str) -> String {
        format!("apiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nspec:\n  containers: [{{name: app, image: \"app:1\", {env}}}]\n  volumes: [{{name: token, secret: {{secretName: creds}}}}]\n")
    }

    #[test]
    fn a_mounted_secret_passes() {
        assert!(manifests(RULE, &pod("volumeMounts: [{name: token, mountPath: /run/secrets/app}]"))
            .findings
            .is_empty());
    }

    #[test]
    fn a_secret_key_in_env_is_reported() {
        let sink = manifests(RULE, &pod("env: [{name: TOKEN, valueFrom: {secretKeyRef: {name: creds, key: token}}}]"));
        assert_eq!(sink.findings[0].field.to_string(), "spec.containers[0].env[0]");
    }
}
