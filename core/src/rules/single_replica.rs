//! TODO(helper): single-replica.

use super::{Category, Check, Rule};
use crate::diagnostic::Severity::*;

pub const RULE: Rule = Rule {
    id: "single-replica",
    summary: "One replica means downtime on every rollout, node drain or crash.",
    help: "Run at least 2 replicas in production.",
    category: Category::BestPractice,
    minikube: None,
    production: Some(Warning),
    check: Check::Manifests(check),
};

#[allow(unused_variables)]
fn check(set: &crate::ManifestSet, sink: &mut super::ManifestSink) {}
