//! `kubeplay diff`: each object as the server would store it (server-side apply, dry run)
//! against what it stores now, as a unified diff without server noise and with Secrets masked.

use super::apply::{rejected, stale_members};
use super::applyset::{self, Recorded};
use super::args::DiffArgs;
use super::client::{self, Target};
use super::errors::{api_message, ClusterError};
use super::plan::{self, Member, Plan};
use super::secrets::{self, Given};
use super::ui::Ui;
use super::{clean, Input};
use k8s_openapi::api::core::v1::{Namespace, Secret};
use kube::api::{Patch, PatchParams};
use kube::Api;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Print the differences; `Ok(true)` when there are some.
pub async fn run(args: &DiffArgs, input: &Input, ui: &Ui) -> Result<bool, ClusterError> {
    let given = Given::read(&args.secrets)?;
    let target = client::connect(&args.cluster, ui).await?;
    // The key of `checksum/secret` as the next apply would use it.
    let given = given.with_checksum_key(secrets::checksum_key(&target, &input.analysis).await?);
    let first = secrets::fill(&input.analysis, &input.release, &given)?;
    secrets::redact_values(ui, &first.manifests);
    let mut plan = plan::build(&target, &first.manifests, &input.release).await?;
    if !first.missing.is_empty() {
        // Compare as the next apply would send them: values not given are the ones the cluster has.
        let live = live_secret_values(&target, &plan).await?;
        let still: Vec<&String> = first.missing.iter().filter(|k| !live.contains_key(*k)).collect();
        let given = given.with_fallback(live);
        let filled = secrets::fill(&input.analysis, &input.release, &given)?;
        secrets::redact_values(ui, &filled.manifests);
        plan = plan::build(&target, &filled.manifests, &input.release).await?;
        if !still.is_empty() {
            let names: Vec<&str> = still.iter().map(|k| k.as_str()).collect();
            ui.say(&format!(
                "note: no value for secret keys {} (not given, not on the cluster): compared as empty",
                names.join(", ")
            ));
        }
    }

    let install = super::applyset::read_parent(&target, &plan.set).await?.is_none();
    for (member, change) in super::preflight::immutable_changes(&target, &plan, install).await? {
        ui.say(&format!("note: apply would be refused: {}: {}", member.describe(), change.explain()));
    }
    let existing = existing_namespaces(&target, &plan).await?;
    let params = PatchParams { dry_run: true, ..PatchParams::apply(kubeplay_core::render::MANAGER) };
    let mut differs = false;
    for member in &plan.members {
        let api = member.api(&target);
        let live =
            api.get_opt(&member.name).await.map_err(|e| target.error(&format!("read {}", member.describe()), e))?;
        let live = live.map(|l| serde_json::to_value(&l).unwrap_or_default());
        let merged = match &member.namespace {
            // The server cannot dry-run into a namespace that does not exist yet.
            Some(ns) if !existing.contains(ns) => member.body.clone(),
            _ => merged(&target, member, &params, ui).await?,
        };
        differs |= print_diff(ui, &object_path(member), live, Some(merged));
    }
    if args.prune {
        if let Some(recorded) = applyset::read_parent(&target, &plan.set).await? {
            let union = Recorded {
                kinds: recorded.kinds.union(&plan.kinds()).cloned().collect(),
                namespaces: recorded.namespaces.union(&plan.namespaces()).cloned().collect(),
            };
            for stale in stale_members(&target, &plan, &union).await? {
                let path = format!("{}/{}/{}", stale.kind(), stale.namespace().unwrap_or_default(), stale.name());
                let live = serde_json::to_value(&stale.object).unwrap_or_default();
                differs |= print_diff(ui, &path, Some(live), None);
            }
        }
    }
    Ok(differs)
}

/// The dry-run result; on a conflict, say so and show what taking the fields over would give.
async fn merged(target: &Target, member: &Member, params: &PatchParams, ui: &Ui) -> Result<Value, ClusterError> {
    let api = member.api(target);
    let result = match api.patch(&member.name, params, &Patch::Apply(&member.body)).await {
        Err(kube::Error::Api(status)) if status.code == 409 => {
            ui.say(&format!(
                "note: {}: {}; apply needs --force-conflicts, which gives:",
                member.describe(),
                api_message(&status)
            ));
            let mut forced = params.clone();
            forced.force = true;
            api.patch(&member.name, &forced, &Patch::Apply(&member.body)).await
        }
        other => other,
    };
    let object = result.map_err(|e| rejected(target, member, "dry-run apply", e))?;
    Ok(serde_json::to_value(&object).unwrap_or_default())
}

fn object_path(member: &Member) -> String {
    format!("{}/{}/{}", member.kind(), member.namespace.as_deref().unwrap_or(""), member.name)
}

async fn existing_namespaces(target: &Target, plan: &Plan) -> Result<BTreeSet<String>, ClusterError> {
    let api: Api<Namespace> = Api::all(target.client.clone());
    let mut out = BTreeSet::new();
    for ns in plan.namespaces() {
        if api.get_opt(&ns).await.map_err(|e| target.error(&format!("read namespace {ns}"), e))?.is_some() {
            out.insert(ns);
        }
    }
    Ok(out)
}

/// Values of the plan's Secrets as stored, by key (UTF-8 values only).
async fn live_secret_values(target: &Target, plan: &Plan) -> Result<BTreeMap<String, String>, ClusterError> {
    let mut out = BTreeMap::new();
    for member in plan.members.iter().filter(|m| m.kind() == "Secret" && m.resolved.resource.group.is_empty()) {
        let Some(ns) = &member.namespace else {
            continue;
        };
        let api: Api<Secret> = Api::namespaced(target.client.clone(), ns);
        let secret = match api.get_opt(&member.name).await {
            Ok(secret) => secret,
            Err(kube::Error::Api(s)) if s.code == 404 => None,
            Err(e) => return Err(target.error(&format!("read {}", member.describe()), e)),
        };
        for (key, value) in secret.iter().flat_map(|s| s.data.iter().flatten()) {
            if let Ok(text) = String::from_utf8(value.0.clone()) {
                out.insert(key.clone(), text);
            }
        }
    }
    Ok(out)
}

/// Keys sorted at every level, so both sides print in the same order.
fn sorted(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            Value::Object(keys.into_iter().map(|k| (k.clone(), sorted(&map[k]))).collect())
        }
        Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
        other => other.clone(),
    }
}

fn yaml(value: &Option<Value>) -> String {
    match value {
        Some(v) => serde_yaml::to_string(&sorted(v)).unwrap_or_default(),
        None => String::new(),
    }
}

/// Print the diff of one object; true when the sides differ.
fn print_diff(ui: &Ui, path: &str, live: Option<Value>, merged: Option<Value>) -> bool {
    let mut live = live.map(|v| clean::for_comparison(&v));
    let mut merged = merged.map(|v| clean::for_comparison(&v));
    // Local objects carry Secret values as base64 `data` already (k8s-openapi's ByteString).
    clean::mask_secrets(live.as_mut(), merged.as_mut());
    let (before, after) = (yaml(&live), yaml(&merged));
    if before == after {
        return false;
    }
    let text = kubeplay_core::manifest::changes::unified_diff(
        &before,
        &after,
        (&format!("live/{path}"), &format!("merged/{path}")),
    );
    ui.print(&text);
    true
}
