//! TODO(helper): secret-invalid-base64.

use super::{Category, Check, Rule};
use crate::diagnostic::Severity::*;

pub const RULE: Rule = Rule {
    id: "secret-invalid-base64",
    summary: "Values under a Secret's `data` must be base64; the API server rejects anything else.",
    help: "Encode the value with base64, or put plain text under `stringData`.",
    category: Category::Relationship,
    minikube: Some(Error),
    production: Some(Error),
    check: Check::Manifests(check),
};

#[allow(unused_variables)]
fn check(set: &crate::ManifestSet, sink: &mut super::ManifestSink) {}
