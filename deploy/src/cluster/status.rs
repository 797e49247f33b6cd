//! `kubeplay status`: the set's objects as a tree (Namespace, then what is in it, pods under
//! their workload) with health, restarts, the way in, and core's diagnoses of what is wrong.

use super::access;
use super::applyset::{self, LiveMember};
use super::args::StatusArgs;
use super::client;
use super::errors::ClusterError;
use super::explain;
use super::observe::{self, Observed, Wanted};
use super::plan::{self, object_id};
use super::secrets;
use super::ui::Ui;
use super::Input;
use kube::ResourceExt;
use kubeplay_core::manifest::WorkloadKind;
use kubeplay_core::rollout::RolloutStatus;
use serde_json::Value;
use std::collections::BTreeMap;

/// Print the tree; `Ok(true)` when everything is healthy.
pub async fn run(args: &StatusArgs, input: &Input, ui: &Ui) -> Result<bool, ClusterError> {
    let target = client::connect(&args.cluster, ui).await?;
    let plan = plan::build(&target, &input.analysis.manifests, &input.release).await?;
    let Some(recorded) = applyset::read_parent(&target, &plan.set).await? else {
        return Err(ClusterError::NotReady(format!(
            "release `{}` is not on context `{}`: there is no {} (run `kubeplay apply`)",
            input.release,
            target.endpoint.context,
            plan.set.describe()
        )));
    };
    let mut members = applyset::list_members(&target, &plan.set, &recorded).await?;
    secrets::redact_live(ui, &members);
    members.sort_by_key(|m| (plan::rank_of_kind(m.kind()), m.namespace(), m.name()));

    // Look at the workloads and Services found, namespace by namespace; Jobs too, to show
    // how they went.
    let mut wanted: BTreeMap<String, Wanted> = BTreeMap::new();
    for m in &members {
        let Some(ns) = m.namespace() else { continue };
        wanted.entry(ns).or_default().add(&m.resolved.resource.group, m.kind(), m.name(), true);
    }
    let mut observed = Vec::new();
    for (ns, wanted) in wanted.iter().filter(|(_, w)| !w.is_empty()) {
        observed.push(observe::observe(&target, ns, wanted).await?);
    }
    let minikube = target.nodes.is_minikube();
    let diagnoses: Vec<_> = observed.iter().flat_map(|o| o.diagnose(minikube)).collect();
    let blocking = explain::blocking(&diagnoses);

    let mut text = format!(
        "release {} on context `{}` (tracked by Secret {}/{}): {} objects\n",
        input.release,
        target.endpoint.context,
        plan.set.namespace,
        plan.set.name,
        members.len()
    );
    let mut healthy = blocking.is_empty();
    let (cluster_scoped, namespaced): (Vec<&LiveMember>, Vec<&LiveMember>) =
        members.iter().partition(|m| m.namespace().is_none());
    let mut by_namespace: BTreeMap<String, Vec<&LiveMember>> = BTreeMap::new();
    for m in namespaced {
        by_namespace.entry(m.namespace().unwrap_or_default()).or_default().push(m);
    }
    for m in &cluster_scoped {
        text.push_str(&format!("{}  {}\n", object_id(&m.resolved, &m.name()), describe(m, &observed, &mut healthy)));
        if m.kind() == "Namespace" {
            if let Some(children) = by_namespace.remove(&m.name()) {
                tree(&mut text, &children, &observed, &mut healthy);
            }
        }
    }
    for (ns, children) in &by_namespace {
        text.push_str(&format!("namespace {ns} (not part of the set)\n"));
        tree(&mut text, children, &observed, &mut healthy);
    }
    let reach = access::lines(&target, &observed);
    if !reach.is_empty() {
        text.push_str("reach it:\n");
        for line in reach {
            text.push_str(&format!("  {line}\n"));
        }
    }
    if !blocking.is_empty() {
        text.push_str("problems:\n");
        for d in &blocking {
            for line in explain::lines(d) {
                text.push_str(&format!("  {line}\n"));
            }
        }
    }
    ui.print(&text);
    Ok(healthy)
}

fn tree(text: &mut String, children: &[&LiveMember], observed: &[Observed], healthy: &mut bool) {
    for (i, m) in children.iter().enumerate() {
        let last = i + 1 == children.len();
        let (branch, indent) = if last { ("└─ ", "   ") } else { ("├─ ", "│  ") };
        text.push_str(&format!("{branch}{}  {}\n", object_id(&m.resolved, &m.name()), describe(m, observed, healthy)));
        if let Some(kind) = observe::followed_kind(&m.resolved.resource.group, m.kind()) {
            let ns = m.namespace().unwrap_or_default();
            let pods = observed
                .iter()
                .filter(|o| o.namespace == ns)
                .flat_map(|o| o.pods_of(kind, &m.name()))
                .collect::<Vec<_>>();
            for (j, pod) in pods.iter().enumerate() {
                let twig = if j + 1 == pods.len() { "└─ " } else { "├─ " };
                text.push_str(&format!("{indent}{twig}{}\n", observe::pod_line(pod)));
            }
        }
    }
}

fn count(object: &Value, field: &str) -> usize {
    object.get(field).and_then(Value::as_object).map_or(0, |m| m.len())
}

/// The one-line health of a member.
fn describe(m: &LiveMember, observed: &[Observed], healthy: &mut bool) -> String {
    let ns = m.namespace().unwrap_or_default();
    let here = observed.iter().find(|o| o.namespace == ns);
    let data = &m.object.data;
    match m.kind() {
        "Namespace" => data["status"]["phase"].as_str().unwrap_or("Active").to_string(),
        // Key names only: values are never shown.
        "Secret" | "ConfigMap" => {
            let keys = count(data, "data") + count(data, "binaryData");
            format!("{keys} key{}", if keys == 1 { "" } else { "s" })
        }
        "Service" => {
            let Some(service) = here.and_then(|o| o.services.iter().find(|s| s.name_any() == m.name())) else {
                return "present".into();
            };
            let spec = service.spec.as_ref();
            let type_ = spec.and_then(|s| s.type_.clone()).unwrap_or_else(|| "ClusterIP".into());
            let ports: Vec<String> =
                spec.and_then(|s| s.ports.as_ref()).into_iter().flatten().map(|p| p.port.to_string()).collect();
            let ready = here.and_then(|o| o.endpoint_slices.as_ref()).map(|slices| {
                slices
                    .iter()
                    .filter(|s| s.labels().get("kubernetes.io/service-name") == Some(&m.name()))
                    .flat_map(|s| s.endpoints.iter())
                    .filter(|e| e.conditions.as_ref().and_then(|c| c.ready) != Some(false))
                    .count()
            });
            let endpoints = match ready {
                Some(1) => ", 1 ready endpoint".to_string(),
                Some(n) => format!(", {n} ready endpoints"),
                None => String::new(),
            };
            format!("{type_}, port {}{endpoints}", ports.join(","))
        }
        "PersistentVolumeClaim" => {
            let phase = data["status"]["phase"].as_str().unwrap_or("Pending");
            let size = data["spec"]["resources"]["requests"]["storage"].as_str();
            size.map_or(phase.to_string(), |size| format!("{phase}, {size}"))
        }
        "HorizontalPodAutoscaler" => {
            let target = &data["spec"]["scaleTargetRef"];
            // The count is the autoscaler's to report; until it has measured there is none.
            let now = data["status"]["currentReplicas"].as_i64().map(|n| format!(", now {n}")).unwrap_or_default();
            format!(
                "scales {}/{} between {} and {} replicas{now}",
                target["kind"].as_str().unwrap_or("?"),
                target["name"].as_str().unwrap_or("?"),
                data["spec"]["minReplicas"].as_i64().unwrap_or(1),
                data["spec"]["maxReplicas"].as_i64().unwrap_or(0)
            )
        }
        "CronJob" => {
            let schedule = data["spec"]["schedule"].as_str().unwrap_or("");
            let suspended = if data["spec"]["suspend"] == true { ", suspended" } else { "" };
            let last =
                data["status"]["lastScheduleTime"].as_str().map(|t| format!(", last run {t}")).unwrap_or_default();
            // Never waited for: the Jobs it starts come and go on its schedule.
            format!("schedule {schedule:?}{suspended}{last}")
        }
        kind_name => match observe::followed_kind(&m.resolved.resource.group, kind_name) {
            Some(kind) => workload_line(kind, &m.name(), here, healthy),
            None => "present".into(),
        },
    }
}

/// `2/3 ready [rolling out]: <kubectl's words>` for a workload, from what was observed.
fn workload_line(kind: WorkloadKind, name: &str, here: Option<&Observed>, healthy: &mut bool) -> String {
    let Some(o) = here else {
        return "present".into();
    };
    let Some(verdict) = o.rollout_of(kind, name) else {
        return "present".into();
    };
    let counts = match kind {
        WorkloadKind::Deployment => named(&o.deployments, name).map(|d| {
            let ready = d.status.as_ref().and_then(|s| s.ready_replicas).unwrap_or(0);
            format!("{ready}/{} ready", d.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1))
        }),
        WorkloadKind::StatefulSet => named(&o.stateful_sets, name).map(|s| {
            let ready = s.status.as_ref().and_then(|s| s.ready_replicas).unwrap_or(0);
            format!("{ready}/{} ready", s.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1))
        }),
        WorkloadKind::DaemonSet => named(&o.daemon_sets, name).map(|d| {
            let status = d.status.clone().unwrap_or_default();
            format!("{}/{} ready", status.number_ready, status.desired_number_scheduled)
        }),
        WorkloadKind::Job => named(&o.jobs, name).map(|j| {
            let succeeded = j.status.as_ref().and_then(|s| s.succeeded).unwrap_or(0);
            format!("{succeeded}/{} succeeded", j.spec.as_ref().and_then(|s| s.completions).unwrap_or(1))
        }),
        _ => None,
    };
    let word = match (&verdict, kind) {
        (RolloutStatus::Done(_), WorkloadKind::Job) => "complete",
        (RolloutStatus::Waiting(_), WorkloadKind::Job) => "running",
        (RolloutStatus::Done(_), _) => "ok",
        (RolloutStatus::Waiting(_), _) => "rolling out",
        (RolloutStatus::Failed(_), _) => "failed",
    };
    // A Job that is still running is on its way, not unhealthy; anything else not done is.
    if verdict.is_failed() || (!verdict.is_done() && kind != WorkloadKind::Job) {
        *healthy = false;
    }
    match counts {
        Some(counts) => format!("{counts} [{word}]: {}", verdict.message()),
        None => format!("[{word}]: {}", verdict.message()),
    }
}

/// The object of `list` named `name`.
fn named<'a, K: ResourceExt>(list: &'a [K], name: &str) -> Option<&'a K> {
    list.iter().find(|o| o.name_any() == name)
}
