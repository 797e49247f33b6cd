//! TODO(helper): service-selects-nothing.

use super::{Category, Check, Rule};
use crate::diagnostic::Severity::*;

pub const RULE: Rule = Rule {
    id: "service-selects-nothing",
    summary: "A Service whose selector matches no Deployment's pods has no endpoints, so every connection to it fails.",
    help: "Make the Service's selector match the pod template labels of the Deployment it fronts.",
    category: Category::Relationship,
    minikube: Some(Error),
    production: Some(Error),
    check: Check::Manifests(check),
};

#[allow(unused_variables)]
fn check(set: &crate::ManifestSet, sink: &mut super::ManifestSink) {}
