//! TODO(helper): identical-probes.

use super::{Category, Check, Rule};
use crate::diagnostic::Severity::*;

pub const RULE: Rule = Rule {
    id: "identical-probes",
    summary: "A liveness probe identical to the readiness probe restarts pods that are only busy, turning slowness into outages.",
    help: "Give liveness a longer period or higher failureThreshold than readiness.",
    category: Category::BestPractice,
    minikube: Some(Warning),
    production: Some(Warning),
    check: Check::Manifests(check),
};

#[allow(unused_variables)]
fn check(set: &crate::ManifestSet, sink: &mut super::ManifestSink) {}
