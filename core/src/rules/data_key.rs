//! TODO(helper): data-key.

use super::{Category, Check, Rule};
use crate::diagnostic::Severity::*;

pub const RULE: Rule = Rule {
    id: "data-key",
    summary: "ConfigMap and Secret keys may hold letters, digits, '_', '-' and '.' only.",
    help: "Rename the key, e.g. `DATABASE_URL`.",
    category: Category::Field,
    minikube: Some(Error),
    production: Some(Error),
    check: Check::Values(check),
};

#[allow(unused_variables)]
fn check(values: &crate::Values, sink: &mut super::ValuesSink) {}
