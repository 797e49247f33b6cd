//! number-range: replicas, probe timings, Job retries and history limits and user IDs are
//! counts: zero or more, within 32 bits;
//! a volume's file mode is permission bits, 0 to 0777; a preStop sleep fits in the grace period.

use super::{Category, Check, Rule};
use crate::diagnostic::Severity::*;
use crate::path::field_path;

pub const RULE: Rule = Rule {
    id: "number-range",
    summary: "Replicas, probe timings, disruption budgets, grace periods, Job retries and history limits and user IDs cannot be negative (and must fit Kubernetes' 32-bit fields); file modes are 0 to 0777; a preStop sleep must end within the grace period.",
    help: "Use 0 or a positive number, e.g. `replicas: 1` or `periodSeconds: 10`; a file mode such as `0440`.",
    category: Category::Field,
    minikube: Some(Error),
    production: Some(Error),
    check: Check::Values(check),
};

/// The schema's bound for these fields (Kubernetes' int32).
const MAX: i64 = i32::MAX as i64;

fn check(values: &crate::Values, sink: &mut super::ValuesSink) {
    for (name, component) in &values.components {
        if let Some(message) = component.replicas.and_then(|n| problem("replicas", n.into())) {
            sink.report(field_path!("components", name, "replicas"), message);
        }
        if let Some(scaling) = &component.autoscaling {
            let min = scaling.min_replicas.unwrap_or(1);
            // The API server's bounds: at least 1 pod, and a range that is not empty.
            if min < 1 {
                sink.report(
                    field_path!("components", name, "autoscaling", "minReplicas"),
                    format!("minReplicas is {min}; an autoscaler keeps at least 1 pod"),
                );
            }
            for (field, target) in [
                ("targetCPUUtilizationPercentage", scaling.target_cpu_utilization_percentage),
                ("targetMemoryUtilizationPercentage", scaling.target_memory_utilization_percentage),
            ] {
                if let Some(n) = target.filter(|n| *n < 1) {
                    sink.report(
                        field_path!("components", name, "autoscaling", field),
                        format!("{field} is {n}; a target use is at least 1 percent"),
                    );
                }
            }
            if min >= 1 && scaling.max_replicas < min {
                sink.report(
                    field_path!("components", name, "autoscaling", "maxReplicas"),
                    format!("maxReplicas is {}, below minReplicas {min}", scaling.max_replicas),
                );
            }
        }
        let probes = &component.probes;
        for (kind, probe) in
            [("liveness", &probes.liveness), ("readiness", &probes.readiness), ("startup", &probes.startup)]
        {
            let Some(probe) = probe else { continue };
            for (field, value) in [
                ("initialDelaySeconds", probe.initial_delay_seconds),
                ("periodSeconds", probe.period_seconds),
                ("timeoutSeconds", probe.timeout_seconds),
                ("failureThreshold", probe.failure_threshold),
            ] {
                if let Some(message) = value.and_then(|n| problem(field, n.into())) {
                    sink.report(field_path!("components", name, "probes", kind, field), message);
                }
            }
        }
        if let Some(message) = component.security_context.run_as_user.and_then(|uid| problem("runAsUser", uid)) {
            sink.report(field_path!("components", name, "securityContext", "runAsUser"), message);
        }
        if let Some(budget) = &component.pod_disruption_budget {
            let (field, count) = match budget {
                crate::values::DisruptionBudget::MinAvailable(n) => ("minAvailable", n),
                crate::values::DisruptionBudget::MaxUnavailable(n) => ("maxUnavailable", n),
            };
            if let Some(message) = match count {
                crate::values::PodCount::Number(n) => problem(field, (*n).into()),
                crate::values::PodCount::Percent(_) => None,
            } {
                sink.report(field_path!("components", name, "podDisruptionBudget", field), message);
            }
        }
        if let Some(message) =
            component.termination_grace_period_seconds.and_then(|n| problem("terminationGracePeriodSeconds", n))
        {
            sink.report(field_path!("components", name, "terminationGracePeriodSeconds"), message);
        }
        for (field, count) in [
            ("backoffLimit", component.backoff_limit),
            ("successfulJobsHistoryLimit", component.successful_jobs_history_limit),
            ("failedJobsHistoryLimit", component.failed_jobs_history_limit),
        ] {
            if let Some(message) = count.and_then(|n| problem(field, n.into())) {
                sink.report(field_path!("components", name, field), message);
            }
        }
        if let Some(crate::values::PreStop::Sleep(seconds)) = component.pre_stop {
            let (grace, given) = match component.termination_grace_period_seconds {
                Some(n) => (n, ""),
                None => (DEFAULT_GRACE_SECONDS, ", its default"),
            };
            if !(1..=grace).contains(&seconds) {
                sink.report(
                    field_path!("components", name, "preStop", "sleep"),
                    format!("preStop sleeps {seconds} s; the API server takes 1 up to terminationGracePeriodSeconds ({grace}{given}), since the pod is killed when the grace period ends"),
                );
            }
        }
        for (volume, source) in &component.volumes {
            let (kind, files) = match source {
                crate::values::Volume::ConfigMap(files) => ("configMap", files),
                crate::values::Volume::Secret(files) => ("secret", files),
                _ => continue,
            };
            if let Some(mode) = files.default_mode.filter(|m| !(0..=MAX_MODE).contains(m)) {
                sink.report(
                    field_path!("components", name, "volumes", volume, kind, "defaultMode"),
                    format!("defaultMode is {mode}; a file mode is 0 to 0777 ({MAX_MODE})"),
                );
            }
        }
    }
}

/// The grace period a pod gets when its spec gives none.
const DEFAULT_GRACE_SECONDS: i64 = 30;

/// The largest file mode: every permission bit (0777), as the API server bounds `defaultMode`.
const MAX_MODE: i32 = 0o777;

/// What is wrong with a count, if anything.
fn problem(what: &str, n: i64) -> Option<String> {
    (!(0..=MAX).contains(&n)).then(|| format!("{what} is {n}; it must be between 0 and {MAX}"))
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::values_findings;

    #[test]
    fn negative_counts_and_huge_user_ids_are_reported_at_their_field() {
        let overlay = "components:\n  todo-backend:\n    replicas: -1\n    podDisruptionBudget: {maxUnavailable: -1}\n    probes:\n      readiness:\n        path: /health\n        port: http\n        periodSeconds: -5\n    securityContext:\n      runAsUser: 4294967296\n";
        let paths: Vec<String> = values_findings("number-range", overlay).iter().map(|f| f.path.to_string()).collect();
        assert_eq!(
            paths,
            [
                "components.todo-backend.replicas",
                "components.todo-backend.probes.readiness.periodSeconds",
                "components.todo-backend.securityContext.runAsUser",
                "components.todo-backend.podDisruptionBudget.maxUnavailable"
            ]
        );
    }

    #[test]
    fn negative_job_retries_and_history_limits_are_reported() {
        let overlay = "components:\n  nightly:\n    kind: CronJob\n    schedule: \"0 3 * * *\"\n    image: {repository: busybox}\n    backoffLimit: -1\n    successfulJobsHistoryLimit: -2\n    failedJobsHistoryLimit: -3\n";
        let found: Vec<String> =
            values_findings("number-range", overlay).iter().map(|f| format!("{}: {}", f.path, f.message)).collect();
        assert_eq!(
            found,
            [
                "components.nightly.backoffLimit: backoffLimit is -1; it must be between 0 and 2147483647",
                "components.nightly.successfulJobsHistoryLimit: successfulJobsHistoryLimit is -2; it must be between 0 and 2147483647",
                "components.nightly.failedJobsHistoryLimit: failedJobsHistoryLimit is -3; it must be between 0 and 2147483647"
            ]
        );
        assert!(values_findings("number-range", &overlay.replace('-', "")).is_empty());
    }

    #[test]
    fn zero_and_ordinary_numbers_pass() {
        assert!(values_findings("number-range", "components:\n  todo-backend:\n    replicas: 0\n").is_empty());
        let mode = "components:\n  todo-backend:\n    volumes:\n      keys:\n        secret: {defaultMode: 0440}\n";
        assert!(values_findings("number-range", mode).is_empty());
    }

    #[test]
    fn a_file_mode_past_0777_is_reported_at_its_field() {
        let overlay = "components:\n  todo-backend:\n    volumes:\n      keys:\n        secret: {defaultMode: 1000}\n";
        let found = values_findings("number-range", overlay);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].path.to_string(), "components.todo-backend.volumes.keys.secret.defaultMode");
    }

    #[test]
    fn a_pre_stop_sleep_must_end_within_the_grace_period() {
        let sleep = |overlay: &str| -> Vec<String> {
            values_findings("number-range", &format!("components:\n  todo-backend:\n{overlay}"))
                .iter()
                .map(|f| format!("{}: {}", f.path, f.message))
                .collect()
        };
        assert_eq!(sleep("    preStop: {sleep: 30}\n"), Vec::<String>::new());
        assert_eq!(sleep("    preStop: {sleep: 10}\n    terminationGracePeriodSeconds: 10\n"), Vec::<String>::new());
        let found = sleep("    preStop: {sleep: 31}\n");
        assert_eq!(found.len(), 1);
        assert!(
            found[0].starts_with("components.todo-backend.preStop.sleep: ") && found[0].contains("(30, its default)"),
            "{found:?}"
        );
        assert_eq!(sleep("    preStop: {sleep: 20}\n    terminationGracePeriodSeconds: 5\n").len(), 1);
        assert_eq!(sleep("    terminationGracePeriodSeconds: -1\n").len(), 1);
    }
}
