//! TODO(helper): env-name.

use super::{Category, Check, Rule};
use crate::diagnostic::Severity::*;

pub const RULE: Rule = Rule {
    id: "env-name",
    summary: "Environment variable names may hold letters, digits, '_', '-' and '.', and must not start with a digit.",
    help: "Rename the variable, e.g. `API_URL`.",
    category: Category::Field,
    minikube: Some(Error),
    production: Some(Error),
    check: Check::Values(check),
};

#[allow(unused_variables)]
fn check(values: &crate::Values, sink: &mut super::ValuesSink) {}
