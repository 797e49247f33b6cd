//! dns-name: the namespace, each component name and `appName` must be DNS-1123 labels.

use super::{Category, Check, Rule};
use crate::diagnostic::Severity::*;
use crate::names::{describe, dns1123_label};
use crate::path::field_path;

pub const RULE: Rule = Rule {
    id: "dns-name",
    summary: "Namespace, appName and component names must be DNS-1123 labels: lowercase letters, digits and '-', at most 63 characters.",
    help: "Rename it, e.g. `todo-backend` instead of `Todo_Backend`.",
    category: Category::Field,
    minikube: Some(Error),
    production: Some(Error),
    check: Check::Values(check),
};

fn check(values: &crate::Values, sink: &mut super::ValuesSink) {
    if let Err(reason) = dns1123_label(&values.namespace) {
        sink.report(field_path!("namespace"), describe("namespace", &values.namespace, &reason));
    }
    // appName is a label value and prefixes `<appName>-config` and `<appName>-secrets`; the
    // label grammar keeps all three valid (63 + 8 is far below the 253 object names allow).
    if let Err(reason) = dns1123_label(&values.app_name) {
        sink.report(field_path!("appName"), describe("appName", &values.app_name, &reason));
    }
    for name in values.components.keys() {
        // A component's name becomes its Deployment's and its container's name.
        if let Err(reason) = dns1123_label(name) {
            sink.report(field_path!("components", name), describe("component name", name, &reason));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::path::FieldPath;
    use crate::rules::testing::values_findings;

    #[test]
    fn the_default_preset_passes() {
        assert!(values_findings("dns-name", "namespace: demo-1\n").is_empty());
    }

    #[test]
    fn an_uppercase_component_name_is_reported_at_the_component() {
        let findings = values_findings(
            "dns-name",
            "components:\n  todo-frontend: null\n  Todo_Backend:\n    image: {repository: todo-backend}\n",
        );
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].path, FieldPath::parse("components.Todo_Backend"));
        assert_eq!(
            findings[0].message,
            "component name `Todo_Backend` contains `T`; only lowercase letters, digits and `-` are allowed"
        );
    }

    #[test]
    fn a_dotted_component_name_keeps_its_path() {
        let findings = values_findings("dns-name", "components:\n  web.v2:\n    image: {repository: web}\n");
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].path.to_string(), "components[\"web.v2\"]");
        assert!(findings[0].message.contains("`.`"), "{}", findings[0].message);
    }

    #[test]
    fn namespace_and_app_name_are_checked() {
        let findings = values_findings("dns-name", "namespace: \"\"\nappName: todo-chatbot-\n");
        let paths: Vec<String> = findings.iter().map(|f| f.path.to_string()).collect();
        assert_eq!(paths, ["namespace", "appName"]);
        assert_eq!(findings[0].message, "namespace must not be empty");
        assert_eq!(findings[1].message, "appName `todo-chatbot-` must start and end with a letter or digit");
    }

    #[test]
    fn a_name_over_63_characters_is_too_long() {
        let long = "a".repeat(64);
        let findings = values_findings("dns-name", &format!("namespace: {long}\n"));
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert!(findings[0].message.ends_with("is 64 characters long; at most 63 are allowed"));
    }
}
