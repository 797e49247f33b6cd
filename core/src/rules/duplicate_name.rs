//! TODO(helper): duplicate-name.

use super::{Category, Check, Rule};
use crate::diagnostic::Severity::*;

pub const RULE: Rule = Rule {
    id: "duplicate-name",
    summary: "Two ports or environment variables of one component share a name or number, so one silently shadows the other.",
    help: "Give each port and variable its own name (and each port its own number).",
    category: Category::Field,
    minikube: Some(Error),
    production: Some(Error),
    check: Check::Values(check),
};

#[allow(unused_variables)]
fn check(values: &crate::Values, sink: &mut super::ValuesSink) {}
