//! Waiting for the rollout: kubectl's rollout-status rules per Deployment (core's `rollout`),
//! StatefulSet and DaemonSet ([`kubeplay_core::rollout`]), Jobs to complete when asked, a line
//! per pod, and core's diagnoses, stopping early when one says waiting cannot help.

use super::client::Target;
use super::errors::ClusterError;
use super::explain;
use super::observe::{self, Observed, Wanted};
use super::plan::Plan;
use super::ui::Ui;
use super::Tuning;
use kube::ResourceExt;
use kubeplay_core::diagnose::{self, Diagnosis};
use kubeplay_core::manifest::WorkloadKind;
use kubeplay_core::rollout::RolloutStatus;
use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

/// `5m`, `1m30s`, `45s`, `250ms`: how durations are written back to the user.
pub fn human(duration: Duration) -> String {
    let ms = duration.as_millis();
    if ms < 1000 {
        return format!("{ms}ms");
    }
    let secs = duration.as_secs();
    match (secs / 60, secs % 60) {
        (0, s) => format!("{s}s"),
        (m, 0) => format!("{m}m"),
        (m, s) => format!("{m}m{s}s"),
    }
}

/// What to look at in each namespace of the plan: its followed workloads (Jobs only when
/// `jobs`; CronJobs never: they start Jobs on a schedule, nothing to be done) and Services.
fn wanted(plan: &Plan, jobs: bool) -> BTreeMap<String, Wanted> {
    let mut by_namespace: BTreeMap<String, Wanted> = BTreeMap::new();
    for member in &plan.members {
        let Some(ns) = &member.namespace else {
            continue;
        };
        let entry = by_namespace.entry(ns.clone()).or_default();
        entry.add(&member.resolved.resource.group, member.kind(), member.name.clone(), jobs);
    }
    by_namespace.retain(|_, w| !w.is_empty());
    by_namespace
}

/// Look at every namespace of the plan.
pub async fn observe_plan(target: &Target, plan: &Plan, jobs: bool) -> Result<Vec<Observed>, ClusterError> {
    let mut all = Vec::new();
    for (namespace, wanted) in wanted(plan, jobs) {
        all.push(observe::observe(target, &namespace, &wanted).await?);
    }
    Ok(all)
}

/// Rollout verdicts of everything observed, keyed `namespace/Kind/name`.
fn rollouts(observed: &[Observed]) -> Vec<(String, RolloutStatus)> {
    observed
        .iter()
        .flat_map(|o| {
            o.rollouts().into_iter().map(|(kind, name, s)| (format!("{}/{}/{name}", o.namespace, kind.as_str()), s))
        })
        .collect()
}

fn diagnoses(observed: &[Observed], minikube: bool) -> Vec<Diagnosis> {
    observed.iter().flat_map(|o| o.diagnose(minikube)).collect()
}

/// `2 deployments, 1 statefulset and 1 daemonset`: counts of kinds, as a wait announces them.
fn counted(counts: &[(WorkloadKind, usize)]) -> Option<String> {
    let parts: Vec<String> = counts
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(kind, n)| format!("{n} {}{}", kind.as_str().to_lowercase(), if *n == 1 { "" } else { "s" }))
        .collect();
    listed(parts)
}

/// `a`, `a and b`, `a, b and c`.
fn listed(mut parts: Vec<String>) -> Option<String> {
    let last = parts.pop()?;
    Some(if parts.is_empty() { last } else { format!("{} and {last}", parts.join(", ")) })
}

/// What the wait is for, from the count of each followed kind: the first line a wait says and
/// its last.
fn announce(counts: &BTreeMap<WorkloadKind, usize>, timeout: Duration) -> (String, String) {
    let ready: Vec<(WorkloadKind, usize)> =
        counts.iter().filter(|(k, _)| **k != WorkloadKind::Job).map(|(k, n)| (*k, *n)).collect();
    let jobs = counts.get(&WorkloadKind::Job).copied().unwrap_or(0);
    let job_words = counted(&[(WorkloadKind::Job, jobs)]);
    let first = match (counted(&ready), &job_words) {
        (Some(r), Some(j)) => format!("waiting for {r} to be ready and {j} to complete"),
        (Some(r), None) => format!("waiting for {r} to be ready"),
        (None, Some(j)) => format!("waiting for {j} to complete"),
        (None, None) => "waiting".to_string(),
    };
    let plural: Vec<String> =
        ready.iter().filter(|(_, n)| *n > 0).map(|(k, _)| format!("{}s", k.as_str().to_lowercase())).collect();
    let last = match (listed(plural), jobs > 0) {
        (Some(r), true) => format!("all {r} are ready and all jobs complete"),
        (Some(r), false) => format!("all {r} are ready"),
        (None, _) => "all jobs complete".to_string(),
    };
    (format!("{first} (timeout {})", human(timeout)), last)
}

/// Wait until every Deployment, StatefulSet and DaemonSet has rolled out, every Job has
/// completed (when `jobs`), and every Service has a ready endpoint. Returns the last
/// observation (for the access hints).
pub async fn wait(
    target: &Target,
    plan: &Plan,
    jobs: bool,
    timeout: Duration,
    tuning: &Tuning,
    ui: &Ui,
) -> Result<Vec<Observed>, ClusterError> {
    let minikube = target.nodes.is_minikube();
    let deadline = Instant::now() + timeout;
    let mut counts: BTreeMap<WorkloadKind, usize> = BTreeMap::new();
    let mut unwaited_jobs = 0;
    for member in &plan.members {
        match observe::followed_kind(&member.resolved.resource.group, member.kind()) {
            Some(WorkloadKind::Job) if !jobs => unwaited_jobs += 1,
            Some(kind) => *counts.entry(kind).or_default() += 1,
            None => {}
        }
    }
    if unwaited_jobs > 0 {
        ui.say(&format!(
            "not waiting for {} to complete (--no-wait-jobs)",
            counted(&[(WorkloadKind::Job, unwaited_jobs)]).unwrap_or_default()
        ));
    }
    if counts.is_empty() {
        return observe_plan(target, plan, jobs).await;
    }
    let (first, last) = announce(&counts, timeout);
    ui.say(&first);
    let mut progress = ui.progress();
    // Transient problems are shown once each, as they appear.
    let mut shown: BTreeSet<(&'static str, String, Option<String>)> = BTreeSet::new();
    loop {
        let observed = observe_plan(target, plan, jobs).await?;
        let rollouts = rollouts(&observed);
        for (key, status) in &rollouts {
            if status.is_done() {
                progress.finish(key, status.message());
            } else {
                progress.update(key, status.message());
            }
        }
        for o in &observed {
            for ((kind, workload), pods) in &o.pods {
                for pod in pods {
                    progress.update(
                        &format!("{}/{}/{workload}/{}", o.namespace, kind.as_str(), pod.name_any()),
                        &format!("  {}", observe::pod_line(pod)),
                    );
                }
            }
        }

        let found = diagnoses(&observed, minikube);
        if diagnose::any_terminal(&found) {
            progress.close();
            let terminal: Vec<&Diagnosis> = found.iter().filter(|d| d.is_terminal()).collect();
            for d in &terminal {
                for line in explain::lines(d) {
                    ui.say(&line);
                }
            }
            return Err(ClusterError::NotReady(format!(
                "stopped waiting: {} problem{} above will not fix {} by waiting",
                terminal.len(),
                if terminal.len() == 1 { "" } else { "s" },
                if terminal.len() == 1 { "itself" } else { "themselves" }
            )));
        }
        // A failed Job (or any verdict that will not change by itself) ends the wait; failed
        // Deployments were caught above, with core's diagnosis of why.
        let failed: Vec<&str> = rollouts.iter().filter(|(_, s)| s.is_failed()).map(|(_, s)| s.message()).collect();
        if !failed.is_empty() {
            progress.close();
            return Err(ClusterError::NotReady(format!("stopped waiting: {}", failed.join("; "))));
        }
        let blocking = explain::blocking(&found);
        for d in &blocking {
            if shown.insert((d.id, d.name.clone(), d.container.clone())) {
                for line in explain::lines(d) {
                    progress.say(&line);
                }
            }
        }

        let rolled_out = rollouts.iter().all(|(_, s)| s.is_done());
        if rolled_out && blocking.is_empty() {
            progress.close();
            ui.say(&last);
            return Ok(observed);
        }
        let now = Instant::now();
        if now >= deadline {
            progress.close();
            let pending: Vec<String> =
                rollouts.iter().filter(|(_, s)| !s.is_done()).map(|(_, s)| s.message().to_string()).collect();
            for d in &blocking {
                for line in explain::lines(d) {
                    ui.say(&line);
                }
            }
            let what = if pending.is_empty() {
                format!("{} problem(s) above remain", blocking.len())
            } else {
                pending.join("; ")
            };
            return Err(ClusterError::NotReady(format!(
                "timed out after {} waiting for readiness: {what}",
                human(timeout)
            )));
        }
        tokio::time::sleep(tuning.poll.min(deadline - now)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_back_as_written() {
        assert_eq!(human(Duration::from_secs(300)), "5m");
        assert_eq!(human(Duration::from_secs(90)), "1m30s");
        assert_eq!(human(Duration::from_secs(45)), "45s");
        assert_eq!(human(Duration::from_millis(250)), "250ms");
    }

    #[test]
    fn a_wait_announces_what_it_waits_for() {
        let counts = |pairs: &[(WorkloadKind, usize)]| pairs.iter().copied().collect::<BTreeMap<_, _>>();
        let five = Duration::from_secs(5);
        assert_eq!(
            announce(&counts(&[(WorkloadKind::Deployment, 2)]), five),
            ("waiting for 2 deployments to be ready (timeout 5s)".into(), "all deployments are ready".into())
        );
        assert_eq!(
            announce(
                &counts(&[
                    (WorkloadKind::Deployment, 1),
                    (WorkloadKind::StatefulSet, 1),
                    (WorkloadKind::DaemonSet, 2),
                    (WorkloadKind::Job, 1)
                ]),
                five
            ),
            (
                "waiting for 1 deployment, 1 statefulset and 2 daemonsets to be ready and 1 job to complete (timeout 5s)"
                    .into(),
                "all deployments, statefulsets and daemonsets are ready and all jobs complete".into()
            )
        );
        assert_eq!(
            announce(&counts(&[(WorkloadKind::Job, 3)]), five),
            ("waiting for 3 jobs to complete (timeout 5s)".into(), "all jobs complete".into())
        );
    }
}
