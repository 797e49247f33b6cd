//! TODO(helper): port-range.

use super::{Category, Check, Rule};
use crate::diagnostic::Severity::*;

pub const RULE: Rule = Rule {
    id: "port-range",
    summary: "Container, Service and target ports must be between 1 and 65535.",
    help: "Use a port number from 1 to 65535.",
    category: Category::Field,
    minikube: Some(Error),
    production: Some(Error),
    check: Check::Values(check),
};

#[allow(unused_variables)]
fn check(values: &crate::Values, sink: &mut super::ValuesSink) {}
