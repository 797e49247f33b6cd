//! TODO(helper): default-namespace.

use super::{Category, Check, Rule};
use crate::diagnostic::Severity::*;

pub const RULE: Rule = Rule {
    id: "default-namespace",
    summary: "Resources in the `default` namespace mix with everything else and are hard to clean up.",
    help: "Use a namespace of the app's own.",
    category: Category::BestPractice,
    minikube: Some(Warning),
    production: Some(Warning),
    check: Check::Manifests(check),
};

#[allow(unused_variables)]
fn check(set: &crate::ManifestSet, sink: &mut super::ManifestSink) {}
