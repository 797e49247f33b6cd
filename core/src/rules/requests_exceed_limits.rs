//! requests-exceed-limits: a CPU or memory request must not be larger than its limit.

use super::{Category, Check, Rule};
use crate::diagnostic::Severity::*;
use crate::path::field_path;
use crate::quantity;
use std::cmp::Ordering;

pub const RULE: Rule = Rule {
    id: "requests-exceed-limits",
    summary: "A request larger than its limit can never be satisfied: Kubernetes rejects the pod.",
    help: "Lower the request or raise the limit so that request <= limit.",
    category: Category::Field,
    minikube: Some(Error),
    production: Some(Error),
    check: Check::Values(check),
};

fn check(values: &crate::Values, sink: &mut super::ValuesSink) {
    for (name, component) in &values.components {
        let resources = &component.resources;
        for (resource, request, limit) in [
            ("cpu", &resources.requests.cpu, &resources.limits.cpu),
            ("memory", &resources.requests.memory, &resources.limits.memory),
        ] {
            let (Some(request), Some(limit)) = (request, limit) else { continue };
            // Amounts that do not parse are resource-quantity's to report; compare() is None then.
            if quantity::compare(request, limit) == Some(Ordering::Greater) {
                sink.report(
                    field_path!("components", name, "resources", "requests", resource),
                    format!("{resource} request `{request}` is more than the {resource} limit `{limit}`; a request must not exceed its limit"),
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
        // Equal amounts in different notations are not "more".
        let overlay = "components:\n  todo-backend:\n    resources: {requests: {cpu: \"0.5\", memory: 512Mi}, limits: {cpu: 500m, memory: \"536870912\"}}\n";
        assert!(values_findings("requests-exceed-limits", overlay).is_empty());
    }

    #[test]
    fn a_memory_request_over_its_limit_is_reported_at_the_request() {
        let overlay =
            "components:\n  todo-frontend:\n    resources: {requests: {memory: 1Gi}, limits: {memory: 768Mi}}\n";
        let findings = values_findings("requests-exceed-limits", overlay);
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].path, FieldPath::parse("components.todo-frontend.resources.requests.memory"));
        assert_eq!(
            findings[0].message,
            "memory request `1Gi` is more than the memory limit `768Mi`; a request must not exceed its limit"
        );
    }

    #[test]
    fn cpu_is_compared_across_notations() {
        let overlay = "components:\n  todo-backend:\n    resources: {requests: {cpu: \"1\"}, limits: {cpu: 999m}}\n";
        let findings = values_findings("requests-exceed-limits", overlay);
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].path, FieldPath::parse("components.todo-backend.resources.requests.cpu"));
    }

    #[test]
    fn unparsable_or_missing_amounts_are_not_compared() {
        let overlay = "components:\n  todo-backend:\n    resources: {requests: {cpu: 2GHz, memory: 1Gi}, limits: {cpu: \"1\", memory: null}}\n";
        assert!(values_findings("requests-exceed-limits", overlay).is_empty());
    }
}
