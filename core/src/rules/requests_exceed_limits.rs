//! TODO(helper): requests-exceed-limits.

use super::{Category, Check, Rule};
use crate::diagnostic::Severity::*;

pub const RULE: Rule = Rule {
    id: "requests-exceed-limits",
    summary: "A request larger than its limit can never be satisfied: Kubernetes rejects the pod.",
    help: "Lower the request or raise the limit so that request <= limit.",
    category: Category::Field,
    minikube: Some(Error),
    production: Some(Error),
    check: Check::Values(check),
};

#[allow(unused_variables)]
fn check(values: &crate::Values, sink: &mut super::ValuesSink) {}
