//! TODO(helper): dns-name.

use super::{Category, Check, Rule};
use crate::diagnostic::Severity::*;

pub const RULE: Rule = Rule {
    id: "dns-name",
    summary: "Namespace and component names must be DNS-1123 labels: lowercase letters, digits and '-', at most 63 characters.",
    help: "Rename it, e.g. `todo-backend` instead of `Todo_Backend`.",
    category: Category::Field,
    minikube: Some(Error),
    production: Some(Error),
    check: Check::Values(check),
};

#[allow(unused_variables)]
fn check(values: &crate::Values, sink: &mut super::ValuesSink) {}
