//! TODO(helper): env-ref-missing-object, env-ref-missing-key.

use super::{Category, Check, Rule};
use crate::diagnostic::Severity::*;

pub const MISSING_OBJECT: Rule = Rule {
    id: "env-ref-missing-object",
    summary: "envFrom and key references must name a ConfigMap or Secret in the set, or the pod fails with CreateContainerConfigError.",
    help: "Create the ConfigMap/Secret, or fix the name the container refers to.",
    category: Category::Relationship,
    minikube: Some(Error),
    production: Some(Error),
    check: Check::Manifests(check_missing_object),
};

#[allow(unused_variables)]
fn check_missing_object(set: &crate::ManifestSet, sink: &mut super::ManifestSink) {}

pub const MISSING_KEY: Rule = Rule {
    id: "env-ref-missing-key",
    summary: "A configMapKeyRef or secretKeyRef must name a key that exists, or the pod fails with CreateContainerConfigError.",
    help: "Add the key to the ConfigMap/Secret, or fix the key name.",
    category: Category::Relationship,
    minikube: Some(Error),
    production: Some(Error),
    check: Check::Manifests(check_missing_key),
};

#[allow(unused_variables)]
fn check_missing_key(set: &crate::ManifestSet, sink: &mut super::ManifestSink) {}
