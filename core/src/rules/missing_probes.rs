//! TODO(helper): missing-readiness-probe, missing-liveness-probe.

use super::{Category, Check, Rule};
use crate::diagnostic::Severity::*;

pub const READINESS: Rule = Rule {
    id: "missing-readiness-probe",
    summary: "Without a readiness probe, the Service sends traffic to pods before they can answer.",
    help: "Add a readiness probe on the port the app serves, e.g. `/health`.",
    category: Category::BestPractice,
    minikube: Some(Warning),
    production: Some(Error),
    check: Check::Manifests(check_readiness),
};

#[allow(unused_variables)]
fn check_readiness(set: &crate::ManifestSet, sink: &mut super::ManifestSink) {}

pub const LIVENESS: Rule = Rule {
    id: "missing-liveness-probe",
    summary: "Without a liveness probe, a hung process is never restarted.",
    help: "Add a liveness probe, e.g. `/health` with a longer period than readiness.",
    category: Category::BestPractice,
    minikube: Some(Info),
    production: Some(Warning),
    check: Check::Manifests(check_liveness),
};

#[allow(unused_variables)]
fn check_liveness(set: &crate::ManifestSet, sink: &mut super::ManifestSink) {}
