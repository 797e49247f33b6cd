//! TODO(helper): selector-mismatch.

use super::{Category, Check, Rule};
use crate::diagnostic::Severity::*;

pub const RULE: Rule = Rule {
    id: "selector-mismatch",
    summary: "A Deployment's selector must match its pod template's labels, or it manages no pods (the API server rejects it).",
    help: "Make spec.selector.matchLabels a subset of spec.template.metadata.labels.",
    category: Category::Relationship,
    minikube: Some(Error),
    production: Some(Error),
    check: Check::Manifests(check),
};

#[allow(unused_variables)]
fn check(set: &crate::ManifestSet, sink: &mut super::ManifestSink) {}
