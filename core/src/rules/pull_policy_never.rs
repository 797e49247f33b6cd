//! TODO(helper): pull-policy-never.

use super::{Category, Check, Rule};
use crate::diagnostic::Severity::*;

pub const RULE: Rule = Rule {
    id: "pull-policy-never",
    summary: "imagePullPolicy Never only works when the image is already on the node: fine on Minikube after `minikube image load`, wrong on a real cluster.",
    help: "On Minikube: `minikube image load IMAGE`. Elsewhere: push to a registry and use IfNotPresent.",
    category: Category::BestPractice,
    minikube: Some(Info),
    production: Some(Error),
    check: Check::Manifests(check),
};

#[allow(unused_variables)]
fn check(set: &crate::ManifestSet, sink: &mut super::ManifestSink) {}
