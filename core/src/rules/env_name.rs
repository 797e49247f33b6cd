//! env-name: `env` keys and `configKeys`/`secretKeys` entries must be valid environment variable names.

use super::{Category, Check, Rule};
use crate::diagnostic::Severity::*;
use crate::manifest::workload::parsed_containers;
use crate::names::{describe, env_var_name};
use crate::path::field_path;

pub const RULE: Rule = Rule {
    id: "env-name",
    summary: "Environment variable names may hold letters, digits, '_', '-' and '.', and must not start with a digit.",
    help: "Rename the variable, e.g. `API_URL`; a configKeys or secretKeys entry is also the variable's name, so rename the key too.",
    category: Category::Field,
    minikube: Some(Error),
    production: Some(Error),
    check: Check::Both(check, check_manifests),
};

fn check(values: &crate::Values, sink: &mut super::ValuesSink) {
    for container in values.components.iter().flat_map(|(name, c)| c.containers(name)) {
        let named = container.env.keys().map(|k| ("env", k)).chain(container.field_env.keys().map(|k| ("fieldEnv", k)));
        for (map, key) in named {
            if let Err(reason) = env_var_name(key) {
                sink.report(
                    container.at().join(&field_path!(map, key)),
                    describe("environment variable", key, &reason),
                );
            }
        }
        // Each listed key is passed as an environment variable of the same name.
        for (list, entries) in [("configKeys", container.config_keys), ("secretKeys", container.secret_keys)] {
            for (i, key) in entries.iter().enumerate() {
                if let Err(reason) = env_var_name(key) {
                    let what = format!("{list} entry `{key}` becomes an environment variable name, which");
                    let message =
                        if key.is_empty() { format!("{list} entry {reason}") } else { format!("{what} {reason}") };
                    sink.report(container.at().join(&field_path!(list, i)), message);
                }
            }
        }
    }
}

fn check_manifests(set: &crate::ManifestSet, sink: &mut super::ManifestSink) {
    for c in parsed_containers(set) {
        for (j, env) in c.container.env.iter().flatten().enumerate() {
            if let Err(reason) = env_var_name(&env.name) {
                let what = format!("environment variable of {}", c.who());
                sink.report(
                    c.resource(),
                    c.field().join(&field_path!("env", j, "name")),
                    describe(&what, &env.name, &reason),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::path::FieldPath;
    use crate::rules::testing::values_findings;

    #[test]
    fn the_default_preset_passes() {
        let overlay = "components:\n  todo-frontend:\n    env: {NEXT_PUBLIC_API.URL: /api, _x-y: \"1\"}\n";
        assert!(values_findings("env-name", overlay).is_empty());
    }

    #[test]
    fn an_env_key_starting_with_a_digit_is_reported_at_the_key() {
        let findings = values_findings("env-name", "components:\n  todo-frontend:\n    env: {2FA_ENABLED: \"true\"}\n");
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].path, FieldPath::parse("components.todo-frontend.env.2FA_ENABLED"));
        assert_eq!(findings[0].message, "environment variable `2FA_ENABLED` must not start with a digit");
    }

    #[test]
    fn a_dotted_env_key_keeps_its_path() {
        let findings = values_findings("env-name", "components:\n  todo-frontend:\n    env: {\"a.b c\": x}\n");
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].path.to_string(), "components.todo-frontend.env[\"a.b c\"]");
    }

    #[test]
    fn listed_keys_are_variable_names_too() {
        let overlay = "config: {LOG LEVEL: debug}\ncomponents:\n  todo-backend:\n    configKeys: [LOG LEVEL]\n    secretKeys: [\"\"]\n";
        let findings = values_findings("env-name", overlay);
        let found: Vec<(String, &str)> = findings.iter().map(|f| (f.path.to_string(), f.message.as_str())).collect();
        assert_eq!(
            found,
            [
                (
                    "components.todo-backend.configKeys[0]".to_string(),
                    "configKeys entry `LOG LEVEL` becomes an environment variable name, which contains ` `; only letters, digits, `_`, `-` and `.` are allowed"
                ),
                ("components.todo-backend.secretKeys[0]".to_string(), "secretKeys entry must not be empty"),
            ]
        );
    }
}
