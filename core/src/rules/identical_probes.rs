//! identical-probes: a liveness probe that is the readiness probe, so slowness becomes restarts.

use super::{Category, Check, Rule};
use crate::diagnostic::Severity::*;

pub const RULE: Rule = Rule {
    id: "identical-probes",
    summary: "A liveness probe identical to the readiness probe restarts pods that are only busy, turning slowness into outages.",
    help: "Give liveness a longer period or higher failureThreshold than readiness, so a busy pod is taken out of the Service before it is restarted.",
    category: Category::BestPractice,
    minikube: Some(Warning),
    production: Some(Warning),
    check: Check::Manifests(check),
};

fn check(set: &crate::ManifestSet, sink: &mut super::ManifestSink) {
    for c in crate::manifest::workload::containers(set) {
        let (Some(liveness), Some(readiness)) = (&c.container.liveness_probe, &c.container.readiness_probe) else {
            continue;
        };
        // The whole probe: same action, delays, periods and thresholds. Any difference in timing
        // is enough to let readiness act first.
        if liveness == readiness {
            sink.report(
                c.resource(),
                c.at("livenessProbe"),
                format!(
                    "{} has a livenessProbe identical to its readinessProbe, so a pod too busy to answer is restarted at the moment it is taken out of the Service.",
                    c.who()
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{manifests, rendered};

    #[test]
    fn equal_probes_are_reported_on_liveness() {
        // The backend's readiness is /health on http, delay 5, period 5, no failureThreshold.
        let sink = rendered(
            "identical-probes",
            "components:\n  todo-backend:\n    probes:\n      liveness: {initialDelaySeconds: 5, periodSeconds: 5, failureThreshold: null}\n",
        );
        let fields: Vec<String> = sink.findings.iter().map(|f| f.field.to_string()).collect();
        assert_eq!(fields, ["spec.template.spec.containers[0].livenessProbe"]);
        assert_eq!(sink.findings[0].resource, 5, "the todo-backend Deployment");
    }

    #[test]
    fn probes_differing_in_timing_or_absent_pass() {
        assert!(rendered("identical-probes", "").findings.is_empty());
        let yaml = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n        - name: slower\n          image: \"nginx:1.27\"\n          livenessProbe: {httpGet: {path: /, port: 80}, failureThreshold: 6}\n          readinessProbe: {httpGet: {path: /, port: 80}}\n        - name: only-readiness\n          image: \"nginx:1.27\"\n          readinessProbe: {httpGet: {path: /, port: 80}}\n";
        assert!(manifests("identical-probes", yaml).findings.is_empty());
    }
}
