//! TODO(helper): secret-in-plain-text.

use super::{Category, Check, Rule};
use crate::diagnostic::Severity::*;

pub const RULE: Rule = Rule {
    id: "secret-in-plain-text",
    summary: "A value that looks secret (a key, token, password or URL with credentials) sits in a ConfigMap or plain env, where anyone who can read the namespace sees it.",
    help: "Move it to the Secret and reference it with secretKeys.",
    category: Category::Relationship,
    minikube: Some(Warning),
    production: Some(Warning),
    check: Check::Manifests(check),
};

#[allow(unused_variables)]
fn check(set: &crate::ManifestSet, sink: &mut super::ManifestSink) {}
