//! TODO(helper): port-name.

use super::{Category, Check, Rule};
use crate::diagnostic::Severity::*;

pub const RULE: Rule = Rule {
    id: "port-name",
    summary: "Port names must be IANA service names: at most 15 lowercase letters, digits or '-', with at least one letter.",
    help: "Shorten or rename the port, e.g. `http` or `metrics`.",
    category: Category::Field,
    minikube: Some(Error),
    production: Some(Error),
    check: Check::Values(check),
};

#[allow(unused_variables)]
fn check(values: &crate::Values, sink: &mut super::ValuesSink) {}
