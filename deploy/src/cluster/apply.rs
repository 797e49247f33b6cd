//! `kubeplay apply`: secrets checked before anything is sent, server-side apply in install order
//! (Namespaces first), ApplySet bookkeeping and prune, then the wait for readiness.

use super::access;
use super::applyset::{self, LiveMember, Recorded};
use super::args::ApplyArgs;
use super::client::{self, Target};
use super::errors::{api_message, ClusterError};
use super::hooks::{self, HookRunner};
use super::minikube;
use super::plan::{self, Member, Plan};
use super::preflight;
use super::secrets::{self, Given};
use super::ui::Ui;
use super::wait;
use super::{clean, Input, Tuning};
use kube::api::{DeleteParams, Patch, PatchParams};
use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

/// What happened to one object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Created,
    Configured,
    Unchanged,
}

impl Action {
    fn word(self) -> &'static str {
        match self {
            Action::Created => "created",
            Action::Configured => "configured",
            Action::Unchanged => "unchanged",
        }
    }
}

/// What an apply has done so far, for the words said when it is interrupted (Ctrl-C) before it
/// ends: shared with the verb's caller, which outlives the verb's future.
#[derive(Clone, Default)]
pub struct Ledger(Arc<Mutex<Tally>>);

#[derive(Default)]
struct Tally {
    /// Every object of the plan, in the order they are sent (`deployment.apps/web`).
    planned: Vec<String>,
    /// The objects the server has answered for.
    applied: Vec<String>,
    /// The object whose requests were sent and not all answered.
    in_flight: Option<String>,
    /// Everything is applied: the verb is waiting for readiness.
    waiting: bool,
}

impl Ledger {
    fn with<T>(&self, f: impl FnOnce(&mut Tally) -> T) -> T {
        f(&mut self.0.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// What was applied and what was not, when the apply stopped midway (one or two lines).
    pub fn interrupted(&self) -> Vec<String> {
        self.with(|t| {
            let total = t.planned.len();
            if total == 0 {
                return vec!["interrupted (Ctrl-C) before anything was applied".to_string()];
            }
            let mut not_applied: Vec<String> = Vec::new();
            for id in &t.planned {
                if t.in_flight.as_ref() == Some(id) {
                    not_applied.push(format!("{id} (being applied when interrupted: it may have landed)"));
                } else if !t.applied.contains(id) {
                    not_applied.push(id.clone());
                }
            }
            if not_applied.is_empty() {
                return vec![if t.waiting {
                    format!("interrupted (Ctrl-C) while waiting for readiness: all {total} objects are applied; the rollout goes on without kubeplay (`kubeplay status` shows how it goes)")
                } else {
                    format!("interrupted (Ctrl-C) after all {total} objects were applied (`kubeplay status` shows how they go)")
                }];
            }
            let applied = if t.applied.is_empty() { "none".to_string() } else { t.applied.join(", ") };
            vec![
                format!("interrupted (Ctrl-C): {} of {total} objects applied: {applied}", t.applied.len()),
                format!("not applied: {}; run the same `kubeplay apply` again to finish", not_applied.join(", ")),
            ]
        })
    }
}

/// Run the verb. `Ok` means everything was applied and (unless --no-wait or a dry run) is ready.
pub async fn run(
    args: &ApplyArgs,
    input: &Input,
    ui: &Ui,
    tuning: &Tuning,
    ledger: &Ledger,
) -> Result<(), ClusterError> {
    let dry_run = args.is_dry_run();
    // Secrets first: a missing value stops everything before the cluster is even contacted.
    let given = Given::read(&args.secrets)?;
    let filled = secrets::fill(&input.analysis, &input.release, &given)?;
    secrets::redact_values(ui, &filled.manifests);
    if !filled.missing.is_empty() {
        return Err(ClusterError::MissingSecrets { keys: filled.missing });
    }
    if !filled.ignored.is_empty() {
        ui.say(&format!(
            "note: ignored keys of the secrets file that no Secret declares: {}",
            filled.ignored.join(", ")
        ));
    }

    let target = client::connect(&args.cluster, ui).await?;
    // Rendered again with the key of `checksum/secret`, now that the cluster can say it.
    let given = given.with_checksum_key(secrets::checksum_key(&target, &input.analysis).await?);
    let filled = secrets::fill(&input.analysis, &input.release, &given)?;
    secrets::redact_values(ui, &filled.manifests);
    let plan = plan::build(&target, &filled.manifests, &input.release).await?;
    ui.say(&header(&target, &plan, dry_run));
    ledger.with(|t| t.planned = plan.members.iter().map(Member::id).collect());
    minikube::warn_missing_images(&target, &filled.manifests, ui);
    preflight::warn(&filled.manifests, target.nodes.is_minikube(), ui);
    let recorded = applyset::read_parent(&target, &plan.set).await?;
    // A set without a parent is new: Helm's install hooks run, not its upgrade hooks.
    let install = recorded.is_none();
    let recorded = recorded.unwrap_or_default();
    preflight::refuse_immutable_changes(&target, &plan, install, ui).await?;

    let params = {
        let mut p = PatchParams::apply(kubeplay_core::render::MANAGER);
        p.force = args.force_conflicts;
        p.dry_run = dry_run;
        p
    };

    // Namespaces first: everything else lives in them, and the parent too.
    let (namespaces, rest): (Vec<&Member>, Vec<&Member>) =
        plan.members.iter().partition(|m| m.kind() == "Namespace" && m.resolved.resource.group.is_empty());
    let mut not_yet_created = BTreeSet::new();
    for member in &namespaces {
        let action = apply_noted(&target, member, &params, ledger).await?;
        if dry_run && action == Action::Created {
            not_yet_created.insert(member.name.clone());
        }
        report(ui, member, action, dry_run);
    }

    // The parent is written before the members with every kind old and new, so a crash midway
    // leaves no member its parent does not list (KEP-3659's order).
    let mut all_kinds = recorded.kinds.clone();
    all_kinds.extend(plan.kinds());
    let mut all_namespaces = recorded.namespaces.clone();
    all_namespaces.extend(plan.namespaces());
    if !dry_run {
        applyset::write_parent(&target, &plan.set, &all_kinds, &all_namespaces).await?;
    }

    let phases = hooks::phases(rest, install);
    for member in &phases.not_now {
        let points = member.hook.as_ref().map_or("", kubeplay_core::manifest::hooks::points);
        ui.say(&format!(
            "{} not applied: a Helm hook of other steps (helm.sh/hook: {points}) than this {}",
            member.id(),
            if install { "install" } else { "upgrade" }
        ));
        // Nothing to say about it if the apply is interrupted.
        ledger.with(|t| t.planned.retain(|id| *id != member.id()));
    }
    let runner =
        HookRunner { target: &target, plan: &plan, params: &params, ledger, ui, tuning, timeout: args.wait.timeout };
    let skipped_dry_run = |member: &Member| match member.namespace.as_ref().filter(|ns| not_yet_created.contains(*ns)) {
        Some(ns) => {
            // The server cannot dry-run an object into a namespace that does not exist yet.
            ui.say(&format!("{} created (server dry run skipped: namespace {ns} does not exist yet)", member.id()));
            true
        }
        None => false,
    };
    let before: Vec<&Member> = phases.before.iter().copied().filter(|m| !skipped_dry_run(m)).collect();
    runner.run(&before).await?;
    for member in phases.release {
        if skipped_dry_run(member) {
            continue;
        }
        let action = apply_noted(&target, member, &params, ledger).await?;
        report(ui, member, action, dry_run);
    }
    let after: Vec<&Member> = phases.after.iter().copied().filter(|m| !skipped_dry_run(m)).collect();

    // Members of an earlier apply that are no longer in the input.
    let union = Recorded { kinds: all_kinds, namespaces: all_namespaces };
    let stale = stale_members(&target, &plan, &union).await?;
    if args.prune {
        prune(&target, &stale, ui, dry_run).await?;
        if !dry_run {
            applyset::write_parent(&target, &plan.set, &plan.kinds(), &plan.namespaces()).await?;
        }
    } else if !stale.is_empty() {
        let names: Vec<String> = stale.iter().map(|m| plan::object_id(&m.resolved, &m.name())).collect();
        ui.say(&format!(
            "note: {} object(s) of this set are no longer in the input: {}; `kubeplay apply --prune` deletes them",
            stale.len(),
            names.join(", ")
        ));
    }

    // Post-install and post-upgrade hooks once the release is ready, as `helm install --wait`
    // runs them (at once when not waiting).
    if dry_run {
        runner.run(&after).await?;
        ui.say("server dry run: nothing was stored");
        return Ok(());
    }
    if args.wait.no_wait {
        runner.run(&after).await?;
        ui.say("applied; not waiting for readiness (--no-wait): `kubeplay status` shows how it goes");
        return Ok(());
    }
    ledger.with(|t| t.waiting = true);
    // Hooks were waited for as they ran (or not sent at all).
    let release =
        Plan { set: plan.set.clone(), members: plan.members.iter().filter(|m| m.hook.is_none()).cloned().collect() };
    let observed = wait::wait(&target, &release, args.wait_jobs(), args.wait.timeout, tuning, ui).await?;
    runner.run(&after).await?;
    access::print(&target, &observed, &filled.manifests, ui);
    Ok(())
}

fn header(target: &Target, plan: &Plan, dry_run: bool) -> String {
    let cluster = match (&target.nodes.minikube_profile, target.nodes.listed) {
        (Some(profile), _) => format!("minikube profile `{profile}`"),
        (None, true) => target.endpoint.server.clone(),
        // Without the right to list nodes, minikube cannot be recognised nor its images checked.
        (None, false) => format!("{}; nodes not visible, so no minikube checks", target.endpoint.server),
    };
    let mode = if dry_run { " (server dry run)" } else { "" };
    format!(
        "applying {} objects to context `{}` ({cluster}){mode}; the set is tracked by Secret {}/{}",
        plan.members.len(),
        target.endpoint.context,
        plan.set.namespace,
        plan.set.name
    )
}

pub(super) fn report(ui: &Ui, member: &Member, action: Action, dry_run: bool) {
    let suffix = if dry_run { " (server dry run)" } else { "" };
    ui.say(&format!("{} {}{suffix}", member.id(), action.word()));
}

/// [`apply_member`], kept in the ledger.
pub(super) async fn apply_noted(
    target: &Target,
    member: &Member,
    params: &PatchParams,
    ledger: &Ledger,
) -> Result<Action, ClusterError> {
    ledger.with(|t| t.in_flight = Some(member.id()));
    let action = apply_member(target, member, params).await?;
    ledger.with(|t| {
        t.in_flight = None;
        t.applied.push(member.id());
    });
    Ok(action)
}

/// Server-side apply one object, saying whether it was created, changed or left as it was.
pub async fn apply_member(target: &Target, member: &Member, params: &PatchParams) -> Result<Action, ClusterError> {
    let api = member.api(target);
    let live = api.get_opt(&member.name).await.map_err(|e| target.error(&format!("read {}", member.describe()), e))?;
    let applied = api
        .patch(&member.name, params, &Patch::Apply(&member.body))
        .await
        .map_err(|e| rejected(target, member, "apply", e))?;
    Ok(match live {
        None => Action::Created,
        Some(live) => {
            let before = clean::for_comparison(&serde_json::to_value(&live).unwrap_or_default());
            let after = clean::for_comparison(&serde_json::to_value(&applied).unwrap_or_default());
            if before == after {
                Action::Unchanged
            } else {
                Action::Configured
            }
        }
    })
}

/// An apply (`doing`: `apply`, `dry-run apply`) the server refused, with what to do about the
/// common cases; cluster trouble (401, 403, 429, 5xx, no answer) as [`Target::error`] says it.
pub fn rejected(target: &Target, member: &Member, doing: &str, error: kube::Error) -> ClusterError {
    let kube::Error::Api(status) = &error else {
        return target.error(&format!("{doing} {}", member.describe()), error);
    };
    let hint = match status.code {
        // The API server refuses new objects in a Namespace that is being deleted.
        403 if status.message.contains("being terminated") => "; the namespace is still being deleted: wait for it to go (`kubeplay delete` waits), then apply again",
        401 | 403 | 429 | 500..=599 => return target.error(&format!("{doing} {}", member.describe()), error),
        409 => "; another field manager set these fields: remove them from your input to leave them to it, or take them over with --force-conflicts",
        404 if member.namespace.is_some() => "; create the namespace first (kubeplay creates it when the input has a Namespace)",
        // A field kubeplay's own check does not know (core's `immutable`).
        422 if status.message.contains("field is immutable") => "; that field cannot change once the object exists: delete the object and apply again",
        422 => "; fix the manifest (`kubeplay validate` checks it offline)",
        _ => "",
    };
    ClusterError::Rejected { object: member.describe(), message: format!("{}{hint}", api_message(status)) }
}

/// Live members of the set that the plan no longer has.
pub async fn stale_members(target: &Target, plan: &Plan, recorded: &Recorded) -> Result<Vec<LiveMember>, ClusterError> {
    if recorded.kinds.is_empty() {
        return Ok(Vec::new());
    }
    let planned: BTreeSet<_> = plan.members.iter().map(Member::key).collect();
    let live = applyset::list_members(target, &plan.set, recorded).await?;
    let mut stale: Vec<LiveMember> = live.into_iter().filter(|m| !planned.contains(&m.key())).collect();
    // Uninstall order: the reverse of install order.
    stale.sort_by_key(|m| std::cmp::Reverse(plan::rank_of_kind(m.kind())));
    Ok(stale)
}

async fn prune(target: &Target, stale: &[LiveMember], ui: &Ui, dry_run: bool) -> Result<(), ClusterError> {
    let params = if dry_run { DeleteParams::background().dry_run() } else { DeleteParams::background() };
    for member in stale {
        let id = plan::object_id(&member.resolved, &member.name());
        match member.api(target).delete(&member.name(), &params).await {
            Ok(_) => ui.say(&format!("{id} pruned{}", if dry_run { " (server dry run)" } else { "" })),
            Err(kube::Error::Api(status)) if status.code == 404 => {}
            Err(e) => return Err(target.error(&format!("prune {id}"), e)),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_interrupted_apply_says_what_is_applied_what_was_in_flight_and_what_is_not() {
        let ledger = Ledger::default();
        assert_eq!(ledger.interrupted(), ["interrupted (Ctrl-C) before anything was applied"]);
        ledger.with(|t| {
            t.planned = ["namespace/a", "secret/b", "service/c", "deployment.apps/d"].map(String::from).to_vec();
            t.applied = vec!["namespace/a".into()];
            t.in_flight = Some("secret/b".into());
        });
        assert_eq!(
            ledger.interrupted(),
            [
                "interrupted (Ctrl-C): 1 of 4 objects applied: namespace/a",
                "not applied: secret/b (being applied when interrupted: it may have landed), service/c, deployment.apps/d; run the same `kubeplay apply` again to finish",
            ]
        );
        ledger.with(|t| {
            t.applied = t.planned.clone();
            t.in_flight = None;
        });
        assert_eq!(
            ledger.interrupted(),
            ["interrupted (Ctrl-C) after all 4 objects were applied (`kubeplay status` shows how they go)"]
        );
    }
}
