//! TODO(helper): allow-privilege-escalation.

use super::{Category, Check, Rule};
use crate::diagnostic::Severity::*;

pub const RULE: Rule = Rule {
    id: "allow-privilege-escalation",
    summary: "The process may gain more privileges than its parent (setuid binaries).",
    help: "Set securityContext.allowPrivilegeEscalation: false.",
    category: Category::BestPractice,
    minikube: Some(Info),
    production: Some(Warning),
    check: Check::Manifests(check),
};

#[allow(unused_variables)]
fn check(set: &crate::ManifestSet, sink: &mut super::ManifestSink) {}
