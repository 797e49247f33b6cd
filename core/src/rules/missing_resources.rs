//! TODO(helper): missing-resources.

use super::{Category, Check, Rule};
use crate::diagnostic::Severity::*;

pub const RULE: Rule = Rule {
    id: "missing-resources",
    summary: "A container without CPU and memory requests and limits can starve its neighbours and is evicted first.",
    help: "Set resources.requests and resources.limits for cpu and memory.",
    category: Category::BestPractice,
    minikube: Some(Info),
    production: Some(Warning),
    check: Check::Manifests(check),
};

#[allow(unused_variables)]
fn check(set: &crate::ManifestSet, sink: &mut super::ManifestSink) {}
