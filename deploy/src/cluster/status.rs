//! `kubeplay status`: the set's objects as a tree (Namespace, then what is in it, pods under
//! their Deployment) with health, restarts, the way in, and core's diagnoses of what is wrong.

use super::access;
use super::applyset::{self, LiveMember};
use super::args::StatusArgs;
use super::client;
use super::errors::ClusterError;
use super::explain;
use super::observe::{self, Observed};
use super::plan::{self, object_id};
use super::ui::Ui;
use super::Input;
use kube::ResourceExt;
use kubeplay_core::rollout::{self, RolloutStatus};
use serde_json::Value;
use std::collections::BTreeMap;

/// Print the tree; `Ok(true)` when everything is healthy.
pub async fn run(args: &StatusArgs, input: &Input, ui: &Ui) -> Result<bool, ClusterError> {
    let target = client::connect(&args.cluster).await?;
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
    members.sort_by_key(|m| (plan::rank_of_kind(m.kind()), m.namespace(), m.name()));

    // Look at the Deployments and Services found, namespace by namespace.
    let mut wanted: BTreeMap<String, (Vec<String>, Vec<String>)> = BTreeMap::new();
    for m in &members {
        let Some(ns) = m.namespace() else { continue };
        match (m.resolved.resource.group.as_str(), m.kind()) {
            ("apps", "Deployment") => wanted.entry(ns).or_default().0.push(m.name()),
            ("", "Service") => wanted.entry(ns).or_default().1.push(m.name()),
            _ => {}
        }
    }
    let mut observed = Vec::new();
    for (ns, (deployments, services)) in &wanted {
        observed.push(observe::observe(&target, ns, deployments, services).await?);
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
        if m.kind() == "Deployment" {
            let ns = m.namespace().unwrap_or_default();
            let pods = observed
                .iter()
                .filter(|o| o.namespace == ns)
                .flat_map(|o| o.pods.get(&m.name()))
                .flatten()
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
        "Deployment" => {
            let Some(deployment) = here.and_then(|o| o.deployments.iter().find(|d| d.name_any() == m.name())) else {
                return "present".into();
            };
            let status = deployment.status.clone().unwrap_or_default();
            let desired = deployment.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1);
            let verdict = rollout::status(deployment);
            let word = match &verdict {
                RolloutStatus::Done(_) => "ok",
                RolloutStatus::Waiting(_) => "rolling out",
                RolloutStatus::Failed(_) => "failed",
            };
            if !verdict.is_done() {
                *healthy = false;
            }
            format!("{}/{desired} ready [{word}]: {}", status.ready_replicas.unwrap_or(0), verdict.message())
        }
        _ => "present".into(),
    }
}
