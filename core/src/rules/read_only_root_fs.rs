//! TODO(helper): read-only-root-fs.

use super::{Category, Check, Rule};
use crate::diagnostic::Severity::*;

pub const RULE: Rule = Rule {
    id: "read-only-root-fs",
    summary: "The container can write to its root filesystem, which lets an attacker change the app's files.",
    help: "Set securityContext.readOnlyRootFilesystem: true and mount an emptyDir where the app must write.",
    category: Category::BestPractice,
    minikube: Some(Info),
    production: Some(Warning),
    check: Check::Manifests(check),
};

#[allow(unused_variables)]
fn check(set: &crate::ManifestSet, sink: &mut super::ManifestSink) {}
