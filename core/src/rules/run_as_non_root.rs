//! TODO(helper): run-as-non-root.

use super::{Category, Check, Rule};
use crate::diagnostic::Severity::*;

pub const RULE: Rule = Rule {
    id: "run-as-non-root",
    summary: "The container may run as root; a compromised process would then own the container.",
    help: "Set securityContext.runAsNonRoot: true (and a runAsUser if the image has no USER).",
    category: Category::BestPractice,
    minikube: Some(Info),
    production: Some(Warning),
    check: Check::Manifests(check),
};

#[allow(unused_variables)]
fn check(set: &crate::ManifestSet, sink: &mut super::ManifestSink) {}
