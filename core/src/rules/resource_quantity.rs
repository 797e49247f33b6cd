//! resource-quantity: CPU and memory requests and limits must be valid, sensible quantities.

use super::{Category, Check, Rule};
use crate::diagnostic::Severity::*;
use crate::path::field_path;
use crate::quantity;

pub const RULE: Rule = Rule {
    id: "resource-quantity",
    summary: "CPU and memory amounts must use Kubernetes quantity syntax, like `250m` CPU or `128Mi` memory.",
    help: "Write CPU in cores or millicores (`0.5`, `500m`) and memory in bytes with a suffix (`256Mi`, `1Gi`).",
    category: Category::Field,
    minikube: Some(Error),
    production: Some(Error),
    check: Check::Values(check),
};

/// Suffixes that scale by a thousand or more: on CPU they mean thousands of cores.
const SIZE_SUFFIXES: &[&str] = &["k", "M", "G", "T", "P", "E", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];

fn check(values: &crate::Values, sink: &mut super::ValuesSink) {
    for (name, component) in &values.components {
        for (list_key, kind, list) in
            [("requests", "request", &component.resources.requests), ("limits", "limit", &component.resources.limits)]
        {
            for (resource, amount) in [("cpu", &list.cpu), ("memory", &list.memory)] {
                let Some(amount) = amount else { continue };
                if let Some(message) = problem(format_args!("{resource} {kind}"), resource == "memory", amount) {
                    sink.report(field_path!("components", name, "resources", list_key, resource), message);
                }
            }
        }
    }
}

/// What is wrong with one amount (`what`: `cpu request`, `memory limit`...), if anything.
fn problem(what: impl std::fmt::Display + Copy, is_memory: bool, amount: &str) -> Option<String> {
    let example = if is_memory { "128Mi" } else { "250m" };
    let value = match quantity::parse(amount) {
        Ok(value) => value.0,
        Err(_) if amount.trim().is_empty() => {
            return Some(format!("{what} is empty; write an amount such as `{example}` or leave the key out"))
        }
        Err(reason) => return Some(format!("{what} `{amount}` is not a valid quantity: {reason}")),
    };
    if value < 0.0 {
        return Some(format!("{what} `{amount}` is negative; amounts must be 0 or more"));
    }
    let suffix = quantity::suffix(amount).unwrap_or("");
    if is_memory {
        // Kubernetes accepts fractional bytes but they are never meant: `512m` is 0.512 bytes.
        let fractional_nanos = quantity::nanos(amount).ok().filter(|n| n % 1_000_000_000 != 0);
        if let Some(nanos) = fractional_nanos {
            return Some(if suffix == "m" {
                format!(
                    "{what} `{amount}` means {} bytes (`m` is milli); write `{}Mi` or `{}M`",
                    quantity::decimal(nanos),
                    amount.trim_end_matches('m'),
                    amount.trim_end_matches('m')
                )
            } else {
                format!("{what} `{amount}` is not a whole number of bytes; write e.g. `{example}`")
            });
        }
    } else if suffix == "M" {
        return Some(format!(
            "{what} `{amount}` means {} million cores (`M` is mega); millicores take a lowercase `m`, e.g. `{}m`",
            amount.trim_end_matches('M'),
            amount.trim_end_matches('M')
        ));
    } else if SIZE_SUFFIXES.contains(&suffix) {
        return Some(format!(
            "{what} `{amount}` uses the size suffix `{suffix}`, which means thousands of cores or more; CPU is written in cores (`1`) or millicores (`500m`)"
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::path::FieldPath;
    use crate::rules::testing::values_findings;

    fn findings(resources: &str) -> Vec<(String, String)> {
        let overlay = format!("components:\n  todo-backend:\n    resources: {resources}\n");
        values_findings("resource-quantity", &overlay).into_iter().map(|f| (f.path.to_string(), f.message)).collect()
    }

    #[test]
    fn the_default_preset_passes() {
        assert!(findings("{requests: {cpu: \"0.25\", memory: \"1e8\"}, limits: {cpu: \"2\", memory: 1Gi}}").is_empty());
    }

    #[test]
    fn a_megabyte_suffix_is_reported_with_the_right_spelling() {
        let found = values_findings(
            "resource-quantity",
            "components:\n  todo-backend:\n    resources: {limits: {memory: 512MB}}\n",
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].path, FieldPath::parse("components.todo-backend.resources.limits.memory"));
        assert_eq!(
            found[0].message,
            "memory limit `512MB` is not a valid quantity: unknown suffix `MB` (memory is written `128Mi` or `128M`)"
        );
    }

    #[test]
    fn empty_and_negative_amounts_are_reported() {
        assert_eq!(
            findings("{requests: {cpu: \"\", memory: \"-1Mi\"}}"),
            [
                (
                    "components.todo-backend.resources.requests.cpu".to_string(),
                    "cpu request is empty; write an amount such as `250m` or leave the key out".to_string()
                ),
                (
                    "components.todo-backend.resources.requests.memory".to_string(),
                    "memory request `-1Mi` is negative; amounts must be 0 or more".to_string()
                ),
            ]
        );
    }

    #[test]
    fn milli_bytes_and_mega_cores_are_reported() {
        assert_eq!(
            findings("{requests: {cpu: 500M, memory: 512m}, limits: {cpu: 1Gi, memory: \"0.5\"}}"),
            [
                (
                    "components.todo-backend.resources.requests.cpu".to_string(),
                    "cpu request `500M` means 500 million cores (`M` is mega); millicores take a lowercase `m`, e.g. `500m`".to_string()
                ),
                (
                    "components.todo-backend.resources.requests.memory".to_string(),
                    "memory request `512m` means 0.512 bytes (`m` is milli); write `512Mi` or `512M`".to_string()
                ),
                (
                    "components.todo-backend.resources.limits.cpu".to_string(),
                    "cpu limit `1Gi` uses the size suffix `Gi`, which means thousands of cores or more; CPU is written in cores (`1`) or millicores (`500m`)".to_string()
                ),
                (
                    "components.todo-backend.resources.limits.memory".to_string(),
                    "memory limit `0.5` is not a whole number of bytes; write e.g. `128Mi`".to_string()
                ),
            ]
        );
    }
}
