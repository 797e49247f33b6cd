//! TODO(helper): latest-tag.

use super::{Category, Check, Rule};
use crate::diagnostic::Severity::*;

pub const RULE: Rule = Rule {
    id: "latest-tag",
    summary: "An image without a tag, or tagged `latest`, changes under you and is pulled again on every start.",
    help: "Pin a version tag, e.g. `1.0.0`.",
    category: Category::BestPractice,
    minikube: Some(Warning),
    production: Some(Error),
    check: Check::Manifests(check),
};

#[allow(unused_variables)]
fn check(set: &crate::ManifestSet, sink: &mut super::ManifestSink) {}
