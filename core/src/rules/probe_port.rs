//! TODO(helper): probe-port-unresolved.

use super::{Category, Check, Rule};
use crate::diagnostic::Severity::*;

pub const RULE: Rule = Rule {
    id: "probe-port-unresolved",
    summary: "A probe's port must be a port the container exposes, or the probe always fails and the pod never gets ready.",
    help: "Point the probe at the container port's name or number.",
    category: Category::Relationship,
    minikube: Some(Error),
    production: Some(Error),
    check: Check::Manifests(check),
};

#[allow(unused_variables)]
fn check(set: &crate::ManifestSet, sink: &mut super::ManifestSink) {}
