//! TODO(helper): service-name.

use super::{Category, Check, Rule};
use crate::diagnostic::Severity::*;

pub const RULE: Rule = Rule {
    id: "service-name",
    summary: "A Service's name becomes a DNS name, so it must be a DNS-1035 label: start with a letter, then lowercase letters, digits or '-'.",
    help: "Rename the component so it starts with a letter.",
    category: Category::Field,
    minikube: Some(Error),
    production: Some(Error),
    check: Check::Values(check),
};

#[allow(unused_variables)]
fn check(values: &crate::Values, sink: &mut super::ValuesSink) {}
