//! TODO(helper): probe-path.

use super::{Category, Check, Rule};
use crate::diagnostic::Severity::*;

pub const RULE: Rule = Rule {
    id: "probe-path",
    summary: "An HTTP probe path must start with '/'.",
    help: "Write the path as the server sees it, e.g. `/health`.",
    category: Category::Field,
    minikube: Some(Error),
    production: Some(Error),
    check: Check::Values(check),
};

#[allow(unused_variables)]
fn check(values: &crate::Values, sink: &mut super::ValuesSink) {}
