//! TODO(helper): node-port.

use super::{Category, Check, Rule};
use crate::diagnostic::Severity::*;

pub const RULE: Rule = Rule {
    id: "node-port",
    summary: "A nodePort must be in 30000-32767 and is only allowed on NodePort and LoadBalancer Services.",
    help: "Pick a nodePort in 30000-32767, or remove it, or change the Service type.",
    category: Category::Field,
    minikube: Some(Error),
    production: Some(Error),
    check: Check::Values(check),
};

#[allow(unused_variables)]
fn check(values: &crate::Values, sink: &mut super::ValuesSink) {}
