//! TODO(helper): loadbalancer-on-minikube.

use super::{Category, Check, Rule};
use crate::diagnostic::Severity::*;

pub const RULE: Rule = Rule {
    id: "loadbalancer-on-minikube",
    summary: "A LoadBalancer Service on Minikube stays <pending> until `minikube tunnel` runs.",
    help: "Run `minikube tunnel` in another terminal, or use `minikube service NAME --url`.",
    category: Category::BestPractice,
    minikube: Some(Info),
    production: None,
    check: Check::Manifests(check),
};

#[allow(unused_variables)]
fn check(set: &crate::ManifestSet, sink: &mut super::ManifestSink) {}
