//! TODO(helper): empty-secret-value.

use super::{Category, Check, Rule};
use crate::diagnostic::Severity::*;

pub const RULE: Rule = Rule {
    id: "empty-secret-value",
    summary: "A Secret key has no value yet; the app will start without it unless it is given at deploy time.",
    help: "Give it at deploy time: `kubeplay apply --secret KEY=VALUE` (never commit secret values).",
    category: Category::BestPractice,
    minikube: Some(Info),
    production: Some(Info),
    check: Check::Manifests(check),
};

#[allow(unused_variables)]
fn check(set: &crate::ManifestSet, sink: &mut super::ManifestSink) {}
