//! TODO(helper): target-port-unresolved.

use super::{Category, Check, Rule};
use crate::diagnostic::Severity::*;

pub const RULE: Rule = Rule {
    id: "target-port-unresolved",
    summary: "A Service's targetPort must be a port the selected containers expose (by number or by name), or traffic goes nowhere.",
    help: "Set targetPort to the container port's name or number.",
    category: Category::Relationship,
    minikube: Some(Error),
    production: Some(Error),
    check: Check::Manifests(check),
};

#[allow(unused_variables)]
fn check(set: &crate::ManifestSet, sink: &mut super::ManifestSink) {}
