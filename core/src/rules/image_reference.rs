//! TODO(helper): image-reference.

use super::{Category, Check, Rule};
use crate::diagnostic::Severity::*;

pub const RULE: Rule = Rule {
    id: "image-reference",
    summary: "An image must be written [registry/]name[:tag][@digest], in lowercase, or the pod fails with InvalidImageName.",
    help: "Fix the image repository or tag, e.g. `todo-backend` and `1.0.0`.",
    category: Category::Field,
    minikube: Some(Error),
    production: Some(Error),
    check: Check::Values(check),
};

#[allow(unused_variables)]
fn check(values: &crate::Values, sink: &mut super::ValuesSink) {}
