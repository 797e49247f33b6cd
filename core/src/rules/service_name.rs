//! service-name: a component with a Service needs a DNS-1035 name (it must start with a letter).

use super::{Category, Check, Rule};
use crate::diagnostic::Severity::*;
use crate::names::{describe, dns1035_label, dns1123_label};
use crate::path::field_path;

pub const RULE: Rule = Rule {
    id: "service-name",
    summary: "A Service's name becomes a DNS name, so it must be a DNS-1035 label: start with a letter, then lowercase letters, digits or '-'.",
    help: "Rename the component so it starts with a letter, e.g. `web1` instead of `1web`.",
    category: Category::Field,
    minikube: Some(Error),
    production: Some(Error),
    check: Check::Values(check),
};

fn check(values: &crate::Values, sink: &mut super::ValuesSink) {
    for (name, component) in &values.components {
        if component.service.is_none() {
            continue;
        }
        // dns-name already reports names that are not DNS-1123 labels; only the stricter
        // DNS-1035 part (the first character must be a letter) is this rule's.
        if dns1123_label(name).is_err() {
            continue;
        }
        if let Err(reason) = dns1035_label(name) {
            sink.report(field_path!("components", name), describe("Service name", name, &reason));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::path::FieldPath;
    use crate::rules::testing::values_findings;

    const DIGIT_FIRST: &str =
        "components:\n  1web:\n    image: {repository: web}\n    service: {port: 80, targetPort: 8080}\n";

    #[test]
    fn the_default_preset_passes() {
        assert!(values_findings("service-name", "components:\n  todo-backend:\n    replicas: 2\n").is_empty());
    }

    #[test]
    fn a_service_name_starting_with_a_digit_is_reported() {
        let findings = values_findings("service-name", DIGIT_FIRST);
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].path, FieldPath::parse("components.1web"));
        assert_eq!(
            findings[0].message,
            "Service name `1web` must start with a lowercase letter (Service names become DNS names)"
        );
    }

    #[test]
    fn without_a_service_a_digit_first_name_is_fine() {
        let overlay = "components:\n  1worker:\n    image: {repository: worker}\n";
        assert!(values_findings("service-name", overlay).is_empty());
    }

    #[test]
    fn names_dns_name_rejects_are_left_to_it() {
        let overlay = "components:\n  1Web:\n    image: {repository: web}\n    service: {port: 80, targetPort: 8080}\n";
        assert!(values_findings("service-name", overlay).is_empty());
        assert_eq!(values_findings("dns-name", overlay).len(), 1);
    }
}
