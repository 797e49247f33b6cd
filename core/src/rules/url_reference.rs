//! TODO(helper): url-service-unresolved.

use super::{Category, Check, Rule};
use crate::diagnostic::Severity::*;

pub const RULE: Rule = Rule {
    id: "url-service-unresolved",
    summary: "An env value that points at a Service (http://name:port or name:port) must name a Service in the namespace and one of its ports.",
    help: "Use the Service's name and its `port` (not the container's targetPort).",
    category: Category::Relationship,
    minikube: Some(Error),
    production: Some(Error),
    check: Check::Manifests(check),
};

#[allow(unused_variables)]
fn check(set: &crate::ManifestSet, sink: &mut super::ManifestSink) {}
