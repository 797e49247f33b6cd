//! TODO(helper): resource-quantity.

use super::{Category, Check, Rule};
use crate::diagnostic::Severity::*;

pub const RULE: Rule = Rule {
    id: "resource-quantity",
    summary: "CPU and memory amounts must use Kubernetes quantity syntax, like `250m` CPU or `128Mi` memory.",
    help: "Write CPU in cores or millicores (`0.5`, `500m`) and memory with a suffix (`256Mi`, `1Gi`).",
    category: Category::Field,
    minikube: Some(Error),
    production: Some(Error),
    check: Check::Values(check),
};

#[allow(unused_variables)]
fn check(values: &crate::Values, sink: &mut super::ValuesSink) {}
