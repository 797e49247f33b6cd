//! restart-policy: a pod template's restartPolicy must be one its controller accepts: `Always` for Deployments, StatefulSets, DaemonSets and ReplicaSets; `OnFailure` or `Never` for Jobs and CronJobs.

use super::{Category, Check, ManifestSink, Rule};
use crate::diagnostic::Severity::*;
use crate::manifest::{ManifestSet, WorkloadKind};
use crate::path::Segment;

pub const RULE: Rule = Rule {
    id: "restart-policy",
    summary: "A controller accepts only some restartPolicy values in its pod template: `Always` for Deployments, StatefulSets, DaemonSets and ReplicaSets, `OnFailure` or `Never` for Jobs and CronJobs (which must say one: unset means `Always`).",
    help: "Set `restartPolicy: OnFailure` (or `Never`) in a Job's pod template; remove it (or set `Always`) in a Deployment's, StatefulSet's, DaemonSet's or ReplicaSet's.",
    category: Category::Field,
    minikube: Some(Error),
    production: Some(Error),
    check: Check::Manifests(check),
};

fn check(set: &ManifestSet, sink: &mut ManifestSink) {
    for w in set.workloads() {
        // A bare Pod may use any of the three.
        if w.kind == WorkloadKind::Pod {
            continue;
        }
        let Some(spec) = w.pod_spec else { continue };
        // The API server defaults an unset restartPolicy to Always before it validates.
        let written = spec.restart_policy.as_deref();
        let policy = written.unwrap_or("Always");
        let allowed: &[&str] = if w.kind.runs_to_completion() { &["OnFailure", "Never"] } else { &["Always"] };
        if allowed.contains(&policy) {
            continue;
        }
        let supported = allowed.iter().map(|a| format!("\"{a}\"")).collect::<Vec<_>>().join(", ");
        let why = match written {
            None => format!("{} leaves restartPolicy unset, so it is `Always`", w.who()),
            Some(_) => format!("{} sets restartPolicy `{policy}`", w.who()),
        };
        let message = format!(
            "{why}: the API server rejects it (`Unsupported value: \"{policy}\": supported values: {supported}`): {}",
            if w.kind.runs_to_completion() {
                "a Job's pods run to completion, so they restart only on failure, or never."
            } else {
                "its controller keeps pods running, so they always restart."
            }
        );
        match written {
            Some(_) => sink.report(w.resource, w.pod_field(&[Segment::from("restartPolicy")]), message),
            // Unset: the pod spec's own `spec:` key is where it belongs.
            None => sink.report_key(w.resource, w.template_field(&[Segment::from("spec")]), message),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{manifests, rendered};

    const JOB: &str = "apiVersion: batch/v1\nkind: Job\nmetadata: {name: migrate}\nspec:\n  template:\n    spec:\n      containers: [{name: m, image: 'app:1'}]\n";

    #[test]
    fn a_job_without_restart_policy_is_rejected() {
        let sink = manifests("restart-policy", JOB);
        assert_eq!(sink.findings.len(), 1);
        assert_eq!(sink.findings[0].field.to_string(), "spec.template.spec");
        assert!(sink.findings[0].at_key, "on the `spec:` key");
        assert!(sink.findings[0]
            .message
            .contains(r#"Unsupported value: "Always": supported values: "OnFailure", "Never""#));
    }

    #[test]
    fn a_deployment_that_restarts_on_failure_is_rejected() {
        let yaml = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      restartPolicy: OnFailure\n      containers: [{name: w, image: 'web:1'}]\n";
        let sink = manifests("restart-policy", yaml);
        assert_eq!(sink.findings.len(), 1);
        assert_eq!(sink.findings[0].field.to_string(), "spec.template.spec.restartPolicy");
    }

    #[test]
    fn jobs_that_say_and_rendered_deployments_pass() {
        let job = JOB.replace("    spec:\n      containers", "    spec:\n      restartPolicy: Never\n      containers");
        assert!(manifests("restart-policy", &job).findings.is_empty());
        assert!(rendered("restart-policy", "").findings.is_empty());
    }
}
