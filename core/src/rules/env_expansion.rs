//! env-expansion: a `$(VAR)` in an env value names a variable the container does not define
//! before it, so Kubernetes leaves the text as it is.

use super::{Category, Check, ManifestSink, Rule};
use crate::diagnostic::Severity::*;
use crate::manifest::workload::containers;
use crate::path::field_path;

pub const RULE: Rule = Rule {
    id: "env-expansion",
    summary: "Kubernetes replaces `$(VAR)` in an env value only with a variable listed before it in the same container; otherwise the value keeps the text `$(VAR)` (a database URL with a literal `$(DB_PASSWORD)` in it).",
    help: "Define the variable before the one that uses it (in values, `env` comes after `configKeys`, `secretKeys` and `fieldEnv`, so these can be used, and plain `env` entries are written in name order), or write `$$(VAR)` for a literal `$(VAR)`.",
    category: Category::Relationship,
    minikube: Some(Warning),
    production: Some(Warning),
    check: Check::Manifests(check),
};

/// The `$(NAME)` references of a value, as Kubernetes' expansion reads them: `$$` is a literal
/// `$`, and `$(` without a closing `)` is text.
fn references(value: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = value;
    while let Some(at) = rest.find('$') {
        let after = &rest[at + 1..];
        if let Some(escaped) = after.strip_prefix('$') {
            rest = escaped;
        } else if let Some(name) = after.strip_prefix('(').and_then(|a| a.find(')').map(|end| &a[..end])) {
            found.push(name);
            rest = &after[name.len() + 2..];
        } else {
            rest = after;
        }
    }
    found
}

/// Whether the kubelet may define `name` itself: the variables it sets for the Services of the
/// namespace (`KUBERNETES_SERVICE_HOST`, `DB_SERVICE_PORT`, `DB_PORT_5432_TCP_ADDR`, ...),
/// which `$(VAR)` expands too.
fn service_variable(name: &str) -> bool {
    name.starts_with("KUBERNETES_")
        || name.contains("_SERVICE_HOST")
        || name.contains("_SERVICE_PORT")
        || name.ends_with("_PORT")
        || name.contains("_PORT_")
}

fn check(set: &crate::ManifestSet, sink: &mut ManifestSink) {
    for c in containers(set) {
        // Variables from `envFrom` come first, with names the set may not say: assume defined.
        if c.container.env_from.as_ref().is_some_and(|f| !f.is_empty()) {
            continue;
        }
        let env = c.container.env.as_deref().unwrap_or_default();
        for (i, var) in env.iter().enumerate() {
            let Some(value) = var.value.as_deref() else { continue };
            for name in references(value).into_iter().filter(|n| !service_variable(n)) {
                let later = env[i + 1..].iter().any(|v| v.name == name);
                if env[..i].iter().any(|v| v.name == name) {
                    continue;
                }
                let why = if later {
                    format!("`{name}` is defined after it")
                } else {
                    format!("{} defines no `{name}`", c.who())
                };
                sink.report(
                    c.resource(),
                    c.field().join(&field_path!("env", i, "value")),
                    format!(
                        "env `{}` of {} uses `$({name})`, but {why}, so the value keeps the text `$({name})`.",
                        var.name,
                        c.who()
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::references;
    use crate::rules::testing::{manifests, rendered};

    const RULE: &str = "env-expansion";

    #[test]
    fn references_are_read_as_kubernetes_expands_them() {
        assert_eq!(references("postgres://u:$(DB_PASSWORD)@db/$(DB)"), ["DB_PASSWORD", "DB"]);
        assert_eq!(references("$$(LITERAL) $( open $"), Vec::<&str>::new());
        assert_eq!(references("$$$(X)"), ["X"]);
    }

    #[test]
    fn a_variable_from_a_secret_key_expands_in_a_plain_value() {
        // Values list plain env after the keys, so the password is defined first.
        let overlay = "components:\n  todo-backend:\n    secretKeys: [DB_PASSWORD]\n    env: {DATABASE_URL: \"postgresql://todo:$(DB_PASSWORD)@db:5432/todo\"}\nsecrets: {DB_PASSWORD: \"\"}\n";
        assert!(rendered(RULE, overlay).findings.is_empty());
    }

    #[test]
    fn service_variables_and_env_from_are_taken_as_defined() {
        let yaml = "apiVersion: v1\nkind: Pod\nmetadata: {name: api}\nspec:\n  containers:\n  - name: api\n    image: \"api:1\"\n    env:\n    - {name: API, value: \"https://$(KUBERNETES_SERVICE_HOST):$(KUBERNETES_SERVICE_PORT)\"}\n    - {name: DB, value: \"$(DB_SERVICE_HOST):$(DB_PORT_5432_TCP_PORT)\"}\n";
        assert!(manifests(RULE, yaml).findings.is_empty());
        let from = "apiVersion: v1\nkind: Pod\nmetadata: {name: api}\nspec:\n  containers:\n  - name: api\n    image: \"api:1\"\n    envFrom: [{configMapRef: {name: settings}}]\n    env:\n    - {name: URL, value: \"http://$(HOST)\"}\n";
        assert!(manifests(RULE, from).findings.is_empty(), "HOST may come from the ConfigMap");
    }

    #[test]
    fn a_variable_defined_later_or_nowhere_is_reported_at_the_value() {
        let yaml = "apiVersion: v1\nkind: Pod\nmetadata: {name: api}\nspec:\n  containers:\n  - name: api\n    image: \"api:1\"\n    env:\n    - {name: URL, value: \"postgres://u:$(PASSWORD)@db/$(NAME)\"}\n    - {name: PASSWORD, value: x}\n";
        let found = manifests(RULE, yaml).findings;
        let messages: Vec<&str> = found.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "env `URL` of container `api` of Pod `api` uses `$(PASSWORD)`, but `PASSWORD` is defined after it, so the value keeps the text `$(PASSWORD)`.",
                "env `URL` of container `api` of Pod `api` uses `$(NAME)`, but container `api` of Pod `api` defines no `NAME`, so the value keeps the text `$(NAME)`."
            ]
        );
        assert_eq!(found[0].field.to_string(), "spec.containers[0].env[0].value");
    }
}
