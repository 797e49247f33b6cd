//! Waiting for the rollout: kubectl's rollout-status rules per Deployment (core's `rollout`),
//! a line per pod, and core's diagnoses, stopping early when one says waiting cannot help.

use super::client::Target;
use super::errors::ClusterError;
use super::explain;
use super::observe::{self, Observed};
use super::plan::Plan;
use super::ui::Ui;
use super::Tuning;
use kube::ResourceExt;
use kubeplay_core::diagnose::{self, Diagnosis};
use kubeplay_core::rollout::{self, RolloutStatus};
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

/// Names of the plan's Deployments and Services, by namespace.
fn workloads(plan: &Plan) -> BTreeMap<String, (Vec<String>, Vec<String>)> {
    let mut by_namespace: BTreeMap<String, (Vec<String>, Vec<String>)> = BTreeMap::new();
    for member in &plan.members {
        let Some(ns) = &member.namespace else {
            continue;
        };
        match (member.resolved.resource.group.as_str(), member.kind()) {
            ("apps", "Deployment") => by_namespace.entry(ns.clone()).or_default().0.push(member.name.clone()),
            ("", "Service") => by_namespace.entry(ns.clone()).or_default().1.push(member.name.clone()),
            _ => {}
        }
    }
    by_namespace
}

/// Look at every namespace of the plan.
pub async fn observe_plan(target: &Target, plan: &Plan) -> Result<Vec<Observed>, ClusterError> {
    let mut all = Vec::new();
    for (namespace, (deployments, services)) in workloads(plan) {
        all.push(observe::observe(target, &namespace, &deployments, &services).await?);
    }
    Ok(all)
}

/// Rollout verdicts of everything observed, with Deployments not found as waiting.
fn rollouts(observed: &[Observed]) -> Vec<(String, RolloutStatus)> {
    let mut out = Vec::new();
    for o in observed {
        for d in &o.deployments {
            out.push((format!("{}/{}", o.namespace, d.name_any()), rollout::status(d)));
        }
        for name in &o.missing_deployments {
            out.push((
                format!("{}/{name}", o.namespace),
                RolloutStatus::Waiting(format!("deployment {name:?} does not exist (yet)")),
            ));
        }
    }
    out
}

fn diagnoses(observed: &[Observed], minikube: bool) -> Vec<Diagnosis> {
    observed.iter().flat_map(|o| o.diagnose(minikube)).collect()
}

/// Wait until every Deployment has rolled out and every Service has a ready endpoint. Returns
/// the last observation (for the access hints).
pub async fn wait(
    target: &Target,
    plan: &Plan,
    timeout: Duration,
    tuning: &Tuning,
    ui: &Ui,
) -> Result<Vec<Observed>, ClusterError> {
    let minikube = target.nodes.is_minikube();
    let deadline = Instant::now() + timeout;
    let count = plan.members.iter().filter(|m| m.kind() == "Deployment").count();
    if count == 0 {
        return observe_plan(target, plan).await;
    }
    ui.say(&format!(
        "waiting for {count} deployment{} to be ready (timeout {})",
        if count == 1 { "" } else { "s" },
        human(timeout)
    ));
    let mut progress = ui.progress();
    // Transient problems are shown once each, as they appear.
    let mut shown: BTreeSet<(&'static str, String, Option<String>)> = BTreeSet::new();
    loop {
        let observed = observe_plan(target, plan).await?;
        let rollouts = rollouts(&observed);
        for (key, status) in &rollouts {
            if status.is_done() {
                progress.finish(key, status.message());
            } else {
                progress.update(key, status.message());
            }
        }
        for o in &observed {
            for (deployment, pods) in &o.pods {
                for pod in pods {
                    progress.update(
                        &format!("{}/{deployment}/{}", o.namespace, pod.name_any()),
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
            ui.say("all deployments are ready");
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
}
