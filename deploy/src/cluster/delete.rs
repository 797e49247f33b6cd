//! `kubeplay delete`: the set's members in uninstall order (the reverse of install order), the
//! ApplySet parent after them and the Namespace last, then a wait until they are gone.

use super::applyset::{self, LiveMember};
use super::args::DeleteArgs;
use super::client::{self, Target};
use super::errors::ClusterError;
use super::plan::{self, object_id};
use super::resources;
use super::secrets;
use super::ui::Ui;
use super::wait::human;
use super::{Input, Tuning};
use k8s_openapi::api::core::v1::Secret;
use kube::api::{DeleteParams, DynamicObject, ListParams};
use kube::{Api, ResourceExt};
use kubeplay_core::manifest::is_stateful_claim;
use std::time::Instant;

/// Delete the set. `Ok` when everything is gone (or, with --no-wait, asked to go).
pub async fn run(args: &DeleteArgs, input: &Input, ui: &Ui, tuning: &Tuning) -> Result<(), ClusterError> {
    let target = client::connect(&args.cluster, ui).await?;
    let plan = plan::build(&target, &input.analysis.manifests, &input.release).await?;
    let Some(recorded) = applyset::read_parent(&target, &plan.set).await? else {
        ui.say(&format!(
            "nothing to delete: there is no {} on context `{}`",
            plan.set.describe(),
            target.endpoint.context
        ));
        return Ok(());
    };
    let mut members = applyset::list_members(&target, &plan.set, &recorded).await?;
    secrets::redact_live(ui, &members);
    let claims = stateful_claims(&target, &members, ui).await?;
    members.extend(claims);
    // Uninstall order; Namespaces go last since deleting one deletes everything in it.
    members.sort_by_key(|m| (m.kind() == "Namespace", std::cmp::Reverse(plan::rank_of_kind(m.kind()))));
    let (namespaces, others): (Vec<LiveMember>, Vec<LiveMember>) =
        members.into_iter().partition(|m| m.kind() == "Namespace" && m.resolved.resource.group.is_empty());

    let params = DeleteParams::background();
    let mut deleted: Vec<(String, Api<DynamicObject>, String)> = Vec::new();
    // Data is never lost by accident: claims stay unless asked, and so do their Namespaces.
    let mut holding_claims = std::collections::BTreeSet::new();
    for member in &others {
        let is_claim = member.kind() == "PersistentVolumeClaim" && member.resolved.resource.group.is_empty();
        if is_claim && !args.delete_volumes {
            ui.say(&format!(
                "{} kept: its data stays (--delete-volumes deletes it)",
                object_id(&member.resolved, &member.name())
            ));
            holding_claims.extend(member.namespace());
            continue;
        }
        if delete_one(&target, member, &params, ui).await? {
            deleted.push((object_id(&member.resolved, &member.name()), member.api(&target), member.name()));
        }
    }
    // The parent goes before its Namespace: it says what to delete if this is interrupted.
    let parents: Api<Secret> = Api::namespaced(target.client.clone(), &plan.set.namespace);
    match parents.delete(&plan.set.name, &params).await {
        Ok(_) => ui.say(&format!("secret/{} deleted (the ApplySet parent)", plan.set.name)),
        Err(kube::Error::Api(s)) if s.code == 404 => {}
        Err(e) => return Err(target.error(&format!("delete {}", plan.set.describe()), e)),
    }
    for member in &namespaces {
        if args.keep_namespace {
            ui.say(&format!("{} kept (--keep-namespace)", object_id(&member.resolved, &member.name())));
            continue;
        }
        if holding_claims.contains(&member.name()) {
            ui.say(&format!(
                "{} kept: it holds the kept claims (--delete-volumes deletes them)",
                object_id(&member.resolved, &member.name())
            ));
            continue;
        }
        if delete_one(&target, member, &params, ui).await? {
            deleted.push((object_id(&member.resolved, &member.name()), member.api(&target), member.name()));
        }
    }

    if args.wait.no_wait || deleted.is_empty() {
        return Ok(());
    }
    // Deletion finishes after finalizers run (a Namespace empties itself first).
    let deadline = Instant::now() + args.wait.timeout;
    let mut progress = ui.progress();
    loop {
        let mut remaining = Vec::new();
        for (id, api, name) in &deleted {
            match api.get_opt(name).await {
                Ok(None) => progress.finish(id, &format!("{id} gone")),
                Ok(Some(_)) => {
                    progress.update(id, &format!("waiting for {id} to be deleted"));
                    remaining.push(id.clone());
                }
                Err(kube::Error::Api(s)) if s.code == 404 => progress.finish(id, &format!("{id} gone")),
                Err(e) => return Err(target.error(&format!("read {id}"), e)),
            }
        }
        if remaining.is_empty() {
            progress.close();
            ui.say("deleted");
            return Ok(());
        }
        let now = Instant::now();
        if now >= deadline {
            progress.close();
            return Err(ClusterError::NotReady(format!(
                "timed out after {} waiting for deletion of {}",
                human(args.wait.timeout),
                remaining.join(", ")
            )));
        }
        tokio::time::sleep(tuning.poll.min(deadline - now)).await;
    }
}

/// The claims StatefulSets of the set gave their pods: the StatefulSet controller made them,
/// so they are not members, but they hold data all the same, and deleting their Namespace
/// would take it. Claims a StatefulSet deletes itself (`persistentVolumeClaimRetentionPolicy:
/// {whenDeleted: Delete}`) are said to go with it.
async fn stateful_claims(target: &Target, members: &[LiveMember], ui: &Ui) -> Result<Vec<LiveMember>, ClusterError> {
    let mut claims = Vec::new();
    let mut listed: std::collections::BTreeMap<String, Vec<DynamicObject>> = Default::default();
    let stateful_sets = members.iter().filter(|m| m.kind() == "StatefulSet" && m.resolved.resource.group == "apps");
    for set in stateful_sets {
        let Some(namespace) = set.namespace() else { continue };
        let spec = &set.object.data["spec"];
        let templates: Vec<&str> = spec["volumeClaimTemplates"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|t| t["metadata"]["name"].as_str())
            .collect();
        if templates.is_empty() {
            continue;
        }
        let resolved = resources::resolve(target, "v1", "PersistentVolumeClaim").await?;
        if !listed.contains_key(&namespace) {
            let api: Api<DynamicObject> = Api::namespaced_with(target.client.clone(), &namespace, &resolved.resource);
            let found = api
                .list(&ListParams::default())
                .await
                .map_err(|e| target.error(&format!("list the claims in namespace {namespace}"), e))?;
            listed.insert(namespace.clone(), found.items);
        }
        let set_name = set.name();
        let goes_with_set = spec["persistentVolumeClaimRetentionPolicy"]["whenDeleted"] == "Delete";
        for object in &listed[&namespace] {
            let name = object.name_any();
            if !templates.iter().any(|t| is_stateful_claim(&name, &set_name, t)) {
                continue;
            }
            if goes_with_set {
                ui.say(&format!(
                    "persistentvolumeclaim/{name} goes with statefulset.apps/{set_name} (its persistentVolumeClaimRetentionPolicy.whenDeleted is Delete)"
                ));
            } else {
                claims.push(LiveMember { resolved: resolved.clone(), object: object.clone() });
            }
        }
    }
    Ok(claims)
}

/// Delete one member; false when it was already gone.
async fn delete_one(
    target: &Target,
    member: &LiveMember,
    params: &DeleteParams,
    ui: &Ui,
) -> Result<bool, ClusterError> {
    let id = object_id(&member.resolved, &member.name());
    match member.api(target).delete(&member.name(), params).await {
        Ok(_) => {
            ui.say(&format!("{id} deleted"));
            Ok(true)
        }
        Err(kube::Error::Api(s)) if s.code == 404 => Ok(false),
        Err(e) => Err(target.error(&format!("delete {id}"), e)),
    }
}
