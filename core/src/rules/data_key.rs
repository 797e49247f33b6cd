//! data-key: keys of `config` and `secrets` must be valid ConfigMap and Secret keys.

use super::{Category, Check, Rule};
use crate::diagnostic::Severity::*;
use crate::names::{config_key, describe};
use crate::path::field_path;

pub const RULE: Rule = Rule {
    id: "data-key",
    summary: "ConfigMap and Secret keys may hold letters, digits, '_', '-' and '.' only.",
    help: "Rename the key, e.g. `DATABASE_URL`, and the configKeys or secretKeys entries that name it.",
    category: Category::Field,
    minikube: Some(Error),
    production: Some(Error),
    check: Check::Values(check),
};

// Whether configKeys/secretKeys name existing keys is a relationship (env-reference checks it on
// the manifests), not a matter of spelling: this rule only reads the keys themselves.
fn check(values: &crate::Values, sink: &mut super::ValuesSink) {
    for (map, what, data) in [("config", "config key", &values.config), ("secrets", "secret key", &values.secrets)] {
        for key in data.keys() {
            if let Err(reason) = config_key(key) {
                sink.report(field_path!(map, key), describe(what, key, &reason));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::values_findings;

    #[test]
    fn the_default_preset_passes() {
        // A key nothing refers to, or a configKeys entry with no key, is not this rule's business.
        let overlay = "config: {app.properties: \"a=1\"}\ncomponents:\n  todo-backend:\n    configKeys: [MISSING]\n";
        assert!(values_findings("data-key", overlay).is_empty());
    }

    #[test]
    fn a_key_with_a_slash_is_reported_at_the_key() {
        let findings = values_findings("data-key", "config: {nginx/conf: x}\nsecrets: {\"..\": \"\"}\n");
        let found: Vec<(String, &str)> = findings.iter().map(|f| (f.path.to_string(), f.message.as_str())).collect();
        assert_eq!(
            found,
            [
                (
                    "config.nginx/conf".to_string(),
                    "config key `nginx/conf` contains `/`; only letters, digits, `_`, `-` and `.` are allowed"
                ),
                ("secrets[\"..\"]".to_string(), "secret key `..` must not be `.` or `..`"),
            ]
        );
    }
}
